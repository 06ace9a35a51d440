# To review: what a coordinator should look at
review-title = To review
review-help = Here is what Nabo did not accept from the phones. It does not count. Talk to whoever it came from.
review-empty = Nothing to review. Everything that came in was accepted.
review-count = { $count ->
    [one] 1 thing to look at
   *[other] { $count } things to look at
}
review-from = Came from: { $device }
review-signed-by = Signed by: { $who }
review-unknown-device = an unknown device ({ $device })
review-where = Where in the data
record-kind-genesis = The neighbourhood's founding
record-kind-membership = A membership
record-kind-revocation = A removed access
record-kind-reinstatement = A restored access
record-kind-join-request = A request to join
record-kind-invite-withdrawal = A withdrawn invitation
record-kind-activity = An activity
record-kind-check-in = A check-in
record-kind-ledger-entry = A points entry
record-kind-unknown = Unknown data
review-reason-unknown-key = Nabo does not write anything like this here.
review-reason-not-signed = It is not signed.
review-reason-unreadable = It cannot be read.
review-reason-bad-signature = The signature does not match: it is forged or altered.
review-reason-misplaced = It does not match the place it is stored in.
review-reason-not-self-certifying = The neighbourhood's key does not match.
review-reason-invalid-field = The field “{ $field }” is not valid.
review-reason-not-entitled-coordinator = Only staff may make this, but someone else signed it.
review-reason-not-entitled-founder = Only whoever founded the neighbourhood may make this.
review-reason-not-entitled-subject = Only the member themself may make this.
review-reason-bad-invite = The invitation is not from staff here, or it is forged. Nobody can confirm the request.
review-reason-erased = Someone deleted it. Signed records stay: it still counts.
review-reason-put-back = Someone put an older version back. It changes nothing: the newest version counts.
review-reason-awaiting-coordinator = Asks to be staff. Nobody becomes staff until a coordinator approves it.
review-reason-awaiting-expired = The invitation had expired when the request arrived. Approve it if you know the person.
review-reason-awaiting-used-up = The invitation has already been used by as many as it allows. Approve it if the person belongs to the household.
review-reason-awaiting-withdrawn = The invitation was withdrawn. Approve only if you know the person.
review-reason-awaiting-old-invite = The invitation is from an older version of Nabo. Approve it if you know the person.
review-approve = Approve
review-reason-late-checkin = Check-in to { $activity } at { $time } — before the phone last synced here, or after now. Is its clock wrong? It earns points only if you approve it.
review-reason-poster-checkin = Check-in to { $activity } at { $time } with the activity's poster. A poster can be photographed and used anywhere, so it earns points only if you approve it.
review-decline = Decline
review-decline-label = Why are you declining?
review-decline-help = The member sees the reason.
review-decline-submit = Decline check-in
review-declined = Check-in declined.
review-group = { $activity }, { $day }: { $count } check-ins waiting.
review-approve-all = Approve all { $count }
review-approved-many = { $count ->
    [one] One check-in approved.
   *[other] { $count } check-ins approved.
}
fieldname-reason = Reason
record-kind-movement = A points correction
