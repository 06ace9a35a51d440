# Members
members-title = Members
members-invite = Invite a new member
members-invite-help = The new resident scans the code with Nabo. The code works for 14 days.
members-invite-role = Role
role-resident = Resident
role-volunteer = Volunteer
role-coordinator = Staff
members-show-invite = Show invitation
member-revoke = Remove access
member-revoke-confirm = Remove { $name }'s access? Their phone can no longer sync, and new check-ins are not rewarded. Points already earned stay in the history.
member-revoked = access removed
member-reinstate = Give access again
member-pending = waiting for confirmation
member-balance = { $balance } points
members-empty = No members yet.
your-device = Your device's code: { $device }
members-open-review = See the list
