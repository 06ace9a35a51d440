# Settings and profile
settings-title = Settings
settings-you = You
settings-name-help = Your name as staff confirmed it. Ask a staff member if it should change.
settings-save-name = Save name
settings-name-saved = Your name is saved.
settings-role = Role: { $role }
settings-language = Language
settings-community = Neighbourhood
settings-demo-help = The demo neighbourhood is only for trying Nabo. If you leave it, you can create or join your real neighbourhood.
settings-leave = Leave the neighbourhood
settings-leave-title = Leave the neighbourhood?
settings-leave-confirm = Everything about the neighbourhood is deleted from this phone: your points, your history and your check-ins. You need a new invitation to come back. What the community house got when you synced stays there.
settings-leave-confirm-coordinator = Everything about the neighbourhood is deleted from this device, your invitations too. If you are the only staff member, nobody else can run the neighbourhood afterwards. What other devices got when they synced stays there.
settings-leave-demo = Leave the demo
settings-leave-demo-title = Leave the demo?
settings-leave-demo-confirm = The demo neighbourhood is deleted from this device. Afterwards you can create or join your real neighbourhood.
settings-device = This device
settings-device-help = The device's code. A staff member may ask for it to find you on the list.
settings-help = Help
help-checkin-title = How to check in
help-checkin = At an activity, staff show a QR code. Tap Check in and take a picture of the code. The code changes every half minute, so it must be fresh.
help-points-title = How you get points
help-points = After you check in, the points are waiting. Sync at the community house to get them. You get points at most once a day for each activity.
help-sync-title = Syncing
help-sync = The community house has a computer your phone can exchange data with over the local network. Add it once under Sync with its code or a picture of its QR code. Then tap Sync now.
help-privacy-title = Your data
help-privacy = Your data is on your phone and at the community house. Other residents cannot see your check-ins or points.
settings-about = About Nabo
settings-version = Nabo version { $version }
settings-about-text = Nabo is free software (AGPL-3.0). It works without the internet and keeps everything on the device.
settings-text-size = Text size
settings-text-size-n = { $percent ->
    [100] Normal (100%)
   *[other] { $percent }%
}
