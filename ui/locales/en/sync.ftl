# Sync at the community house
sync-title = Sync
sync-help = Come by the community house: your phone and the community house computer exchange check-ins, points and members.
sync-hubs = The community house computer
sync-no-hubs = Not added yet. Take a picture of the code on the community house computer, or type it.
sync-now = Sync now
sync-pair-label = The computer's code
sync-pair = Add
sync-pair-picture = Read the code from a picture
sync-paired = The community house computer is added. Tap “Sync now”.
sync-forget = Forget
sync-forget-title = Forget this hub?
sync-forget-confirm = The phone will no longer sync with it. You can add it again with its code.
sync-last = Last sync { $time }
sync-never = Never synced
sync-hub-title = Share data with the phones
sync-hub-help-coordinator = Turn on when you are at the community house. Phones take a picture of the code once and sync when they come by. Check-ins get their points at once.
sync-hub-start = Turn sharing on
sync-hub-stop = Turn sharing off
sync-short-code = Address and code (to type):
sync-hub-connected = { $count ->
    [one] 1 device connected
   *[other] { $count } devices connected
}
sync-peers = Phones that synced
sync-no-peers = No syncs yet.
sync-connecting = Connecting to { $peer }…
sync-syncing = Syncing with { $peer }…
sync-done = Synced with { $peer }.
sync-failed = Sync with { $peer } failed:
sync-finished = Sync complete.
refusal-other-community = it belongs to another neighbourhood
refusal-not-member = the device is not a member (yet)
refusal-revoked = the membership was revoked
refusal-retired = the phone was taken out of use
refusal-unexpected-peer = it is not the hub that was paired
refusal-bad-identity = its identity could not be verified
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
refusal-unavailable = it could not check the membership just now; try again in a moment
sync-help-coordinator = Here this computer shares data with the phones at the community house.
sync-hubs-coordinator = Other computers this device syncs with
sync-pair-help = Type the address and the code as they show on the community house computer, for example 192.168.1.20:47800 3f2a-9c1b-7e4d-5a60.
sync-paired-short = Added.
sync-device-of = { $name }'s computer
sync-house-computer = the community house computer
sync-starting = Syncing…
sync-summary-confirmed = You are now confirmed as a member.
sync-summary-points = { $points } points received.
sync-summary-activities = { $count ->
    [one] 1 new activity.
   *[other] { $count } new activities.
}
sync-summary-sent = Your check-ins are sent.
sync-summary-nothing = Nothing new. Everything is up to date.
sync-peer-news = { $count ->
    [0] nothing new
    [one] 1 new thing received
   *[other] { $count } new things received
}
sync-peer-issued = { $count ->
    [one] 1 approved
   *[other] { $count } approved
}
sync-peers-resident = Synced with
sync-list-revoked = Access removed
error-sync-revoked = A staff member removed your access, so this phone cannot sync. Talk to someone at the community house if this is a mistake.
sync-list-retired = Phone taken out of use
error-sync-retired = This phone was taken out of use: a staff member moved your membership to a new phone or a card, and your points and history went with it. Talk to someone at the community house if this is a mistake.
