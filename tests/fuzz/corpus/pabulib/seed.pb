META
key;value
description;"Seed; quoted"
num_projects;3
num_votes;3
budget;1000,5
vote_type;approval
PROJECTS
project_id;cost;name
1;500;"Bænke; to"
2;0;None
3;600,25;

VOTES
voter_id;vote;voting_method
a;1,2;paper
b;2,3,3;internet
c;;
