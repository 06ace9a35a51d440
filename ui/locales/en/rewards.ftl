# Points
wallet-title = Your points
wallet-balance-label = Points in total
wallet-pending = { $amount } pending
wallet-history = History
wallet-empty = No points yet. Check in to an activity to earn points.
line-pending = pending
line-pending-amount = { $amount } · pending
line-issued = { $amount }
line-capped = daily limit reached
line-unknown-activity = Activity
fieldname-amount = Points
line-awaiting-amount = { $amount } · waiting for approval
line-declined = declined
line-declined-why = Declined: { $reason }
