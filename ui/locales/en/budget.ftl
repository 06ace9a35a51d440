# Neighbourhood budget: a ballot file's outcome (the pabulib format).
settings-budget = Neighbourhood budget
settings-budget-help = Residents propose how a local budget is spent and vote on it. Coordinators can also check a ballot file from pabulib.org or another voting tool.
settings-budget-open = Open a ballot file
budget-title = Neighbourhood budget: the outcome of a vote
budget-lead = Open a ballot file (.pb from pabulib.org). Nabo works out both outcomes on this computer, exactly, and explains each proposal.
budget-open = Open a ballot file
budget-working = Working out the outcome …
budget-summary = { $title }: { $budget } to share, { $voters ->
    [one] one ballot
   *[other] { $voters } ballots
}, { $projects ->
    [one] one proposal
   *[other] { $projects } proposals
}.
budget-equal-shares = Equal shares
budget-equal-shares-help = Every ballot gets an equal share of the budget. A proposal is funded when those who voted for it can pay for it together; what is left goes to the proposals with the most votes that still fit.
budget-greedy = Most votes
budget-greedy-help = The proposals by number of votes, each funded if there is still enough money.
budget-total = Total { $total }
budget-all = All proposals
budget-facts = Costs { $cost } · { $votes ->
    [one] 1 vote
   *[other] { $votes } votes
}
budget-funded = funded
budget-not-funded = not funded
budget-paid = { $supporters ->
    [one] 1 person who voted for it paid
   *[other] { $supporters } people who voted for it paid
} { $payment } each from their share.
budget-paid-all-left = { $count ->
    [one] 1 person paid all they had left.
   *[other] { $count } people paid all they had left.
}
budget-completion = It was funded from what was left of the budget at the end.
budget-short = Those who voted for it had only { $left } left of their shares, and it costs { $cost }: they had spent their shares on other proposals.
budget-no-support = Nobody voted for it, so no shares could pay for it.
budget-greedy-short = By most votes, only { $left } was left when its turn came, and it costs { $cost }.
budget-tie = Some proposals were tied (same cost and same number of votes) and no lot was drawn: { $ties }. Nabo took the first by number each time. Draw a lot before the result is published.
error-budget-file = The file cannot be read as a ballot file: { $problem }
error-budget-file-line = The file cannot be read as a ballot file. Line { $line }: { $problem }
error-budget-ballots = The file has "{ $kind }" ballots. Nabo counts only ballots that tick the proposals a voter supports.
budget-problem-unreadable = it is not semicolon-separated text (check the quotes and the character set).
budget-problem-outside-section = a line comes before the META, PROJECTS and VOTES sections.
budget-problem-missing-column = the column "{ $column }" is missing.
budget-problem-missing-section = the { $section } section is missing.
budget-problem-missing-meta = META has no "{ $key }".
budget-problem-not-a-number = "{ $value }" is not a number.
budget-problem-no-id = the line has no { $column }.
budget-problem-duplicate-project = proposal { $id } is listed twice.
budget-problem-duplicate-voter = ballot { $id } is listed twice.
budget-problem-unknown-project = the ballot names proposal { $id }, which is not in PROJECTS.
budget-problem-unknown-vote-type = "{ $kind }" ballots are not known.
budget-problem-too-many-fields = the line has more fields than its section has columns.
budget-problem-points-mismatch = the number of points does not match the number of proposals.
budget-chart-votes = Votes
budget-chart-label = Each proposal's votes as a bar; its colour says which rule funds it. Every proposal is also listed below.
budget-chart-both = Funded by both rules
budget-chart-equal = Funded by equal shares only
budget-chart-greedy = Funded by most votes only
budget-chart-neither = Not funded
