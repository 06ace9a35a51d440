# Aktiviteter, tjek-ind-koden og tjek ind
activities-title = Aktiviteter
activities-empty = Ingen aktiviteter endnu.
activities-empty-coordinator = Opret den første aktivitet, så beboerne kan tjekke ind.
activity-new = Ny aktivitet
activity-edit = Ret
activity-show-qr = Vis tjek-ind-kode
activity-reward = { $reward } point pr. tjek-ind
activity-cap = højst { $cap } point pr. dag
activity-next = Næste gang: { $date }
activity-no-next = Ingen kommende datoer
activity-today = { $count ->
    [one] 1 tjekket ind i dag
   *[other] { $count } tjekket ind i dag
}
repeat-once = Én gang
repeat-weekly = Hver uge
editor-new-title = Ny aktivitet
editor-edit-title = Ret aktivitet
field-title = Titel
field-description = Beskrivelse
field-place = Sted
field-date = Dato
field-start = Starter
field-end = Slutter
field-repeat = Gentages
field-reward = Point pr. tjek-ind
field-daily-cap = Højst point pr. dag (i alt)
field-daily-cap-help = Lad feltet stå tomt for intet loft.
editor-save = Gem
editor-saved = “{ $title }” er gemt.
qr-title = Tjek ind: { $title }
qr-help = Hold telefonen op mod koden. Koden skifter hvert 30. sekund.
qr-rotates = Ny kode om { $seconds } s
qr-show-text = Kan ikke scanne? Vis koden som tekst
qr-text-label = Koden som tekst
scan-title = Tjek ind
scan-title-takes = Skan en kode
scan-help = Tag et billede af koden på skærmen i beboerhuset, eller indsæt koden.
scan-help-takes = Tag et billede af en betalingskode, et medlemskort eller en tjek-ind-kode, eller indsæt koden.
scan-picture = Tag eller vælg billede
scan-paste-label = Kode
scan-paste-placeholder = Indsæt koden her
scan-submit = Tjek ind
scan-submit-takes = Læs koden
scan-ok = Tjekket ind til { $activity } — { $amount } point venter. Synkronisér i beboerhuset for at få dem.
scan-ok-activity = Tjekket ind til { $activity }. Synkronisér i beboerhuset for at få dine point.
scan-already = Du har allerede tjekket ind til { $activity } i dag. Man får point én gang om dagen.
scan-already-unknown = Du har allerede tjekket ind til denne aktivitet i dag. Man får point én gang om dagen.
scan-ok-unknown = Tjekket ind. Synkronisér i beboerhuset for at få dine point.
scan-reading = Læser billedet…
error-field-out-of-range = Feltet “{ $field }” er for lille eller for stort.
error-field-ends-before-start = Aktiviteten skal slutte efter, den starter.
error-field-below-reward = Loftet skal være mindst lige så stort som point pr. tjek-ind.
error-checkin-foreign = Koden hører til et andet boligområde.
error-checkin-unknown-signer = Koden er ikke lavet af en medarbejder i dit boligområde.
error-checkin-forged = Koden er forfalsket eller ændret. Ingen tjek-ind.
error-checkin-expired = Koden er udløbet. Scan den nye kode på skærmen.
error-checkin-not-yet = Koden gælder ikke endnu. Tjek telefonens ur.
error-checkin-repeat = Du har allerede tjekket ind til denne aktivitet i dag.
error-checkin-unknown-activity = Aktiviteten kendes ikke.
fieldname-title = Titel
fieldname-description = Beskrivelse
fieldname-place = Sted
fieldname-end = Slutter
fieldname-reward = Point pr. tjek-ind
fieldname-daily_cap = Højst point pr. dag
fieldname-date = Dato
fieldname-start = Starter
repeat-every-other-week = Hver anden uge
repeat-monthly = Hver måned
field-weekdays = Hvilke dage?
field-time-help = Skriv fx 15:00.
activity-archive = Arkivér
activity-unarchive = Hent frem igen
activities-archived = Arkiverede aktiviteter
error-activity-archived = Aktiviteten er arkiveret. Hent den frem igen først.
activities-search = Søg efter aktivitet eller sted
activity-attendance = Hvem kom
activity-archived-toast = “{ $title }” er arkiveret.
activity-unarchived-toast = “{ $title }” er hentet frem igen.
attendance-title = Hvem kom til { $title }
attendance-summary = { $checkins ->
    [one] 1 tjek-ind
   *[other] { $checkins } tjek-ind
} · { $people ->
    [one] 1 person
   *[other] { $people } personer
}
attendance-empty = Ingen har tjekket ind endnu.
attendance-shown = Viser de nyeste { $shown } af { $total }.
attendance-more = Vis flere
qr-fullscreen = Fuld skærm
qr-fullscreen-leave = Luk fuld skærm

# Plakater
activity-poster = Plakat (PDF)
poster-saved = Plakaten er gemt: { $path }
poster-heading = Tjek ind her med Nabo
poster-place = Sted: { $place }
poster-points = { $reward } point hver gang
poster-monthly = Hver måned den { $day }., { $hours }
poster-how = Åbn Nabo, tryk på Tjek ind, og tag et billede af koden.
poster-note = Tjek-ind med plakaten giver point, når en koordinator har godkendt det.
scan-ok-poster = Tjekket ind til { $activity } med plakaten. En koordinator skal godkende det, før du får point. Synkronisér i beboerhuset.
scan-ok-poster-unknown = Tjekket ind med en plakat. En koordinator skal godkende det, før du får point. Synkronisér i beboerhuset.
