# Volunteer hours
hours-title = Volunteer hours
hours-help = Did you help out? Write down your hours here, even without internet. After you sync at the community house, a staff member approves them and you get points.
hours-log = Log hours
hours-new-title = New hours
hours-edit-title = Change hours
hours-field-work = What did you help with?
hours-choose = Choose …
hours-other = Something else
hours-field-other = Write what you did
hours-field-date = Which day?
hours-field-how = How do you want to give the time?
hours-mode-times = From and to
hours-mode-duration = Number of hours
hours-field-duration = Number of hours
hours-duration-help = For example 2, or 1.5, or 1:30.
hours-field-note = Note (optional)
hours-rounding = The time is rounded to the nearest quarter hour.
hours-save = Save hours
hours-saved = Your hours are saved. Sync at the community house so a staff member can approve them.
hours-changed = Your hours are changed.
hours-empty = You have not logged any hours yet.
hours-minutes = { $minutes } min
hours-hours = { $hours ->
    [one] 1 hour
   *[other] { $hours } hours
}
hours-hours-minutes = { $hours } h { $minutes } min
hours-state-pending = Waiting for approval
hours-state-withdrawn = Taken back
hours-state-approved = Approved by { $who }, { $time }
hours-state-declined = Declined by { $who }, { $time }: { $reason }
hours-edited-after = You changed these hours after they were approved. The change does not count.
hours-edit = Change
hours-withdraw = Take back
hours-withdraw-ask = Take back these hours ({ $work }, { $date })?
hours-withdraw-note = They will not be approved. You can log them again later.
hours-withdrawn-done = Your hours are taken back.
line-hours = Volunteer hours: { $work }
fieldname-work = What you helped with
fieldname-duration = Number of hours
hours-overruled = { $who } answered too, but the first decision counts.
member-hours-empty = No hours logged.
