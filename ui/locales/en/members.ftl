# Members
members-title = Members
members-invite = Invite a new member
members-invite-help = The new resident scans the code with Nabo. The code works for 14 days, or until it is used.
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
members-invite-uses = How many may use it?
members-invite-uses-n = { $count ->
    [one] 1 person
   *[other] { $count } people (a household)
}
members-invite-uses-help = Each phone that uses the invitation counts. When it is used up, you approve any more yourself.
member-revoke-title = Remove { $name }'s access?
invites-open = Open invitations
invite-uses-left = { $used } of { $uses } used
invite-until = valid until { $time }
invite-show = Show
invite-withdraw = Withdraw
invite-withdraw-title = Withdraw the invitation?
invite-withdraw-confirm = The invitation ({ $role }) can no longer be used. Anyone who already joined with it keeps their access.
members-lone-coordinator = You are the only staff member. Invite another as staff: if a phone or computer goes missing, the other can remove its access.
members-list = All members
members-search = Search by name
sort-by-name = Name
sort-by-balance = Most points
invite-share-title = Invitation to Nabo
invite-withdrawn = The invitation is withdrawn.
member-revoked-toast = Access removed.
member-history-title = { $name }'s points
member-history-empty = No check-ins or points yet.
fieldname-uses = How many may use it
