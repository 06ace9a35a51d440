# Activities, the check-in code and checking in
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
editor-saved = “{ $title }” is saved.
qr-title = Check in: { $title }
qr-help = Hold your phone up to the code. The code changes every 30 seconds.
qr-rotates = New code in { $seconds } s
qr-show-text = Can't scan? Show the code as text
qr-text-label = The code as text
scan-title = Check in
scan-title-takes = Scan a code
scan-help = Take a picture of the code on the screen at the community house, or paste the code.
scan-help-takes = Take a picture of a payment code, a member card or a check-in code, or paste the code.
scan-picture = Take or choose a picture
scan-paste-label = Code
scan-paste-placeholder = Paste the code here
scan-submit = Check in
scan-submit-takes = Read the code
scan-ok = Checked in to { $activity } — { $amount } points waiting. Sync at the community house to get them.
scan-ok-activity = Checked in to { $activity }. Sync at the community house to get your points.
scan-already = You already checked in to { $activity } today. Points come once a day.
scan-already-unknown = You already checked in to this activity today. Points come once a day.
scan-ok-unknown = Checked in. Sync at the community house to get your points.
scan-reading = Reading the picture…
error-field-out-of-range = “{ $field }” is too small or too large.
error-field-ends-before-start = The activity must end after it starts.
error-field-below-reward = The daily limit must be at least the points per check-in.
error-checkin-foreign = The code belongs to another neighbourhood.
error-checkin-unknown-signer = The code was not made by staff of your neighbourhood.
error-checkin-forged = The code is forged or altered. No check-in.
error-checkin-expired = The code has expired. Scan the new code on the screen.
error-checkin-not-yet = The code is not valid yet. Check your phone's clock.
error-checkin-repeat = You already checked in to this activity today.
error-checkin-unknown-activity = The activity is not known.
fieldname-title = Title
fieldname-description = Description
fieldname-place = Place
fieldname-end = Ends
fieldname-reward = Points per check-in
fieldname-daily_cap = Most points a day
fieldname-date = Date
fieldname-start = Starts
repeat-every-other-week = Every other week
repeat-monthly = Every month
field-weekdays = Which days?
field-time-help = Write for example 15:00.
activity-archive = Archive
activity-unarchive = Bring back
activities-archived = Archived activities
error-activity-archived = The activity is archived. Bring it back first.
activities-search = Search for an activity or place
activity-attendance = Who came
activity-archived-toast = “{ $title }” is archived.
activity-unarchived-toast = “{ $title }” is back.
attendance-title = Who came to { $title }
attendance-summary = { $checkins ->
    [one] 1 check-in
   *[other] { $checkins } check-ins
} · { $people ->
    [one] 1 person
   *[other] { $people } people
}
attendance-empty = Nobody has checked in yet.
attendance-shown = Showing the newest { $shown } of { $total }.
attendance-more = Show more
qr-fullscreen = Full screen
qr-fullscreen-leave = Leave full screen

# Posters
activity-poster = Poster (PDF)
poster-saved = The poster is saved: { $path }
poster-heading = Check in here with Nabo
poster-place = Place: { $place }
poster-points = { $reward } points each time
poster-monthly = Every month on day { $day }, { $hours }
poster-how = Open Nabo, tap Check in, and take a picture of the code.
poster-note = A check-in with the poster earns points once a coordinator has approved it.
scan-ok-poster = Checked in to { $activity } with the poster. A coordinator approves it before you get points. Sync at the community house.
scan-ok-poster-unknown = Checked in with a poster. A coordinator approves it before you get points. Sync at the community house.
