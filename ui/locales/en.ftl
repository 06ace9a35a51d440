# Nabo — English. Short sentences, plain words.
app-name = Nabo
lang-switch = Dansk
lang-switch-label = Switch language to Danish

# Welcome
welcome-title = Welcome to Nabo
welcome-lead = Check in to activities in your neighbourhood and earn points you can use locally.
welcome-create = Create a neighbourhood
welcome-create-help = For staff at the community house.
welcome-join = Join
welcome-join-help = Scan or paste the invitation from the community house.
welcome-demo = Try a demo neighbourhood
welcome-demo-help = See Nabo with activities and members. This cannot be undone on this device.
create-title = Create a neighbourhood
field-community-name = Neighbourhood name
field-my-name = Your name
create-submit = Create
join-title = Join
field-invite = Invitation code
invite-placeholder = Paste the code from the invitation
invite-from-picture = Read the invitation from a picture
join-submit = Join
back = Back
cancel = Cancel
close = Close
working = One moment…

# Navigation
nav-wallet = Points
nav-activities = Activities
nav-scan = Check in
nav-members = Members
nav-exchange = Share data

# Waiting for confirmation
pending-banner = You are waiting for a staff member to confirm you. Share your data at the community house (Share data).

# Points
wallet-title = Your points
wallet-balance-label = Points in total
wallet-pending = +{ $amount } pending
wallet-history = History
wallet-empty = No points yet. Check in to an activity to earn points.
line-pending = pending
line-pending-amount = +{ $amount } · pending
line-issued = +{ $amount }
line-capped = daily limit reached
line-unknown-activity = Activity

# Activities
activities-title = Activities
activities-empty = No activities yet.
activities-empty-coordinator = Create the first activity so residents can check in.
activity-new = New activity
activity-edit = Edit
activity-show-qr = Show check-in code
activity-reward = { $reward } points per check-in
activity-cap = at most { $cap } points a day
activity-next = Next: { $date }
activity-no-next = No upcoming dates
activity-today = { $count ->
    [one] 1 checked in today
   *[other] { $count } checked in today
}
repeat-once = Once
repeat-weekly = Every week

# Editor
editor-new-title = New activity
editor-edit-title = Edit activity
field-title = Title
field-description = Description
field-place = Place
field-date = Date
field-start = Starts
field-end = Ends
field-repeat = Repeats
field-reward = Points per check-in
field-daily-cap = Most points a day (in total)
field-daily-cap-help = Leave empty for no limit.
editor-save = Save
editor-saved = Saved.

# Check-in code
qr-title = Check in: { $title }
qr-help = Hold your phone up to the code. The code changes every 30 seconds.
qr-rotates = New code in { $seconds } s
qr-show-text = Can't scan? Show the code as text
qr-text-label = The code as text

# Scan
scan-title = Check in
scan-help = Take a picture of the code on the screen at the community house, or paste the code.
scan-picture = Take or choose a picture
scan-paste-label = Code
scan-paste-placeholder = Paste the code here
scan-submit = Check in
scan-ok = Checked in — +{ $reward } pending
scan-ok-unknown = Checked in — points pending
scan-reading = Reading the picture…

# Members
members-title = Members
members-invite = Invite a new member
members-invite-help = The new resident scans the code with Nabo. The code works for 14 days.
members-invite-role = Role
role-resident = Resident
role-volunteer = Volunteer
role-coordinator = Staff
members-show-invite = Show invitation
member-pending = waiting for confirmation
member-balance = { $balance } points
members-empty = No members yet.
your-device = Your device's code: { $device }

# Share data
exchange-title = Share data
exchange-help = Move what is new between two devices with a file: save a file here and open it on the other device. Do it both ways.
exchange-export = Save data file
exchange-exported = The file is saved here:
exchange-exported-detail = Documents: { $documents }. Size: { $kb } kB.
exchange-import = Open a file from another device
exchange-imported = Data received. Documents updated: { $documents }.
exchange-imported-coordinator = Members confirmed: { $members }. Rewards: { $rewards }. Over the limit: { $capped }.

# Errors
error-not-set-up = This device has not joined a neighbourhood yet.
error-already-set-up = This device already belongs to a neighbourhood.
error-not-coordinator = Only staff can do this.
error-not-found = That does not exist (any more).
error-field-required = Fill in “{ $field }”.
error-field-too-long = “{ $field }” is too long.
error-field-out-of-range = “{ $field }” must be between 1 and 1000.
error-field-ends-before-start = The activity must end after it starts.
error-field-below-reward = The daily limit must be at least the points per check-in.
error-field-invalid = Check “{ $field }”.
error-code-not-nabo = This is not a Nabo code.
error-code-unknown-kind = Nabo does not know this kind of code. Update the app.
error-code-version = The code was made by a newer Nabo. Update the app.
error-code-damaged = The code is damaged. Scan it again.
error-wrong-kind = This is a different kind of code than expected here.
error-checkin-foreign = The code belongs to another neighbourhood.
error-checkin-unknown-signer = The code was not made by staff of your neighbourhood.
error-checkin-forged = The code is forged or altered. No check-in.
error-checkin-expired = The code has expired. Scan the new code on the screen.
error-checkin-not-yet = The code is not valid yet. Check your phone's clock.
error-checkin-repeat = You already checked in to this activity today.
error-checkin-unknown-activity = The activity is not known.
error-invite-forged = The invitation is forged or damaged.
error-invite-expired = The invitation has expired. Ask for a new one.
error-image-unreadable = The file is not a picture Nabo can read.
error-no-qr = There is no code in the picture. Try again closer and without shadows.
error-sync-not-a-file = The file is not a Nabo data file.
error-sync-too-new = The file was made by a newer Nabo. Update the app.
error-sync-damaged = The file is damaged. Nothing was changed.
error-sync-other-community = The file is from another neighbourhood. Nothing was changed.
error-file = The file could not be saved or read ({ $path }).
error-storage = Something went wrong with storage. Nothing was changed. Try again.
error-ipc = The app did not answer as expected. Restart Nabo.

# Field names in error messages
fieldname-title = Title
fieldname-description = Description
fieldname-place = Place
fieldname-end = Ends
fieldname-reward = Points per check-in
fieldname-daily_cap = Most points a day
fieldname-community_name = Neighbourhood name
fieldname-my_name = Your name
fieldname-date = Date
fieldname-start = Starts
