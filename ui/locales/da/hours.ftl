# Frivillige timer
hours-title = Frivillige timer
hours-help = Har du hjulpet til? Skriv dine timer her, også uden internet. Når du har synkroniseret i beboerhuset, godkender en medarbejder dem, og så får du point.
hours-log = Skriv timer
hours-new-title = Nye timer
hours-edit-title = Ret timer
hours-field-work = Hvad hjalp du med?
hours-choose = Vælg …
hours-other = Andet
hours-field-other = Skriv hvad du lavede
hours-field-date = Hvilken dag?
hours-field-how = Hvordan vil du skrive tiden?
hours-mode-times = Fra og til
hours-mode-duration = Antal timer
hours-field-duration = Antal timer
hours-duration-help = Skriv fx 2 eller 1,5 eller 1:30.
hours-field-note = Note (hvis du vil)
hours-rounding = Tiden rundes til nærmeste kvarter.
hours-save = Gem timer
hours-saved = Timerne er gemt. Synkronisér i beboerhuset, så en medarbejder kan godkende dem.
hours-changed = Timerne er rettet.
hours-empty = Du har ikke skrevet nogen timer endnu.
hours-minutes = { $minutes } min
hours-hours = { $hours ->
    [one] 1 time
   *[other] { $hours } timer
}
hours-hours-minutes = { $hours } t { $minutes } min
hours-state-pending = Venter på godkendelse
hours-state-withdrawn = Trukket tilbage
hours-state-approved = Godkendt af { $who }, { $time }
hours-state-declined = Afvist af { $who }, { $time }: { $reason }
hours-edited-after = Du rettede timerne, efter de blev godkendt. Rettelsen tæller ikke.
hours-edit = Ret
hours-withdraw = Træk tilbage
hours-withdraw-ask = Træk timerne tilbage ({ $work }, { $date })?
hours-withdraw-note = De bliver ikke godkendt. Du kan skrive dem igen senere.
hours-withdrawn-done = Timerne er trukket tilbage.
line-hours = Frivillige timer: { $work }
fieldname-work = Hvad du hjalp med
fieldname-duration = Antal timer
hours-overruled = { $who } svarede også, men den første afgørelse tæller.
member-hours-empty = Ingen timer skrevet.
