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
nav-sync = Sync

# Waiting for confirmation
pending-banner = You are waiting for a staff member to confirm you. Sync at the community house (Sync).

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
member-revoke = Remove access
member-revoke-confirm = Remove { $name }'s access? Their phone can no longer sync, and new check-ins are not rewarded. Points already earned stay in the history.
member-revoked = access removed
member-reinstate = Give access again
member-pending = waiting for confirmation
member-balance = { $balance } points
members-empty = No members yet.
your-device = Your device's code: { $device }

# Share data
exchange-title = With a file
exchange-help = No network? Move what is new with a file: save a file here and open it on the other device. Do it both ways.
exchange-export = Save data file
exchange-exported = The file is saved here:
exchange-exported-detail = Documents: { $documents }. Size: { $kb } kB.
exchange-import = Open a file from another device
exchange-imported = Data received. Documents updated: { $documents }.
exchange-imported-coordinator = Members confirmed: { $members }. Rewards: { $rewards }. Over the limit: { $capped }.

# Sync
sync-title = Sync
sync-help = At the community house your phone and the house's hub exchange everything new: check-ins, points and members.
sync-hubs = Hubs
sync-no-hubs = No hub yet. Scan the hub's code at the community house, or type its short code.
sync-now = Sync now
sync-pair-label = Hub code
sync-pair-placeholder = e.g. 192.168.1.20:47800 3f2a-9c1b-7e4d-5a60
sync-pair = Add hub
sync-pair-picture = Read the hub's code from a picture
sync-paired = The hub is saved. Press “Sync now”.
sync-forget = Forget
sync-forget-confirm = Forget this hub? You can add it again with its code.
sync-last = Last sync { $time }
sync-never = Never synced
sync-hub-title = This device as hub
sync-hub-help = Let other phones sync with this device, e.g. when the hub is not around.
sync-hub-help-coordinator = Turn the hub on at the community house. Phones scan the code once and sync when they come by. Check-ins are rewarded automatically.
sync-hub-start = Turn hub on
sync-hub-stop = Turn hub off
sync-short-code = Short code (to type in):
sync-hub-connected = { $count ->
    [one] 1 device connected
   *[other] { $count } devices connected
}
sync-peers = Devices
sync-no-peers = No syncs yet.
sync-connecting = Connecting to { $peer }…
sync-syncing = Syncing with { $peer }…
sync-done = Synced with { $peer }.
sync-failed = Sync with { $peer } failed:
sync-finished = Sync complete.
sync-totals = { $records } new records in { $documents } documents; sent { $sent } documents ({ $kb } kB).
refusal-other-community = it belongs to another neighbourhood
refusal-not-member = the device is not a member (yet)
refusal-revoked = the membership was revoked
refusal-unexpected-peer = it is not the hub that was paired
refusal-bad-identity = its identity could not be verified

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
error-hub-other-community = That hub belongs to another neighbourhood.
error-hub-short-code = Not a hub code. Write the address, a space and the code, e.g. 192.168.1.20:47800 3f2a-9c1b-7e4d-5a60.
error-no-hub = No hub yet. Add the community house's hub first.
error-hub-failed = The hub could not start ({ $detail }).
error-sync-unreachable = The hub did not answer. Are you on the community house's network?
error-sync-refused-by-peer = The other device said no: { $reason }.
error-sync-refused-peer = Nabo refused the other device: { $reason }.
error-sync-peer-damaged = The other device sent damaged data. Nothing of it was saved.
error-sync-peer-other-community = The other device sent data from another neighbourhood. Nothing of it was saved.
error-sync-timeout = The other device stopped answering. Try again.
error-sync-interrupted = The connection was cut. What arrived is kept; sync again.

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
