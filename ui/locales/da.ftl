# Nabo — dansk (standardsprog). Korte sætninger, klart sprog.
app-name = Nabo
lang-switch = English
lang-switch-label = Skift sprog til engelsk

# Velkomst
welcome-title = Velkommen til Nabo
welcome-lead = Tjek ind til aktiviteter i dit boligområde, og tjen point, der kan bruges lokalt.
welcome-create = Opret et boligområde
welcome-create-help = For medarbejdere i beboerhuset.
welcome-join = Bliv medlem
welcome-join-help = Scan eller indsæt invitationen fra beboerhuset.
welcome-demo = Prøv et demo-område
welcome-demo-help = Se Nabo med aktiviteter og medlemmer. Du kan ikke fortryde det på denne enhed.
create-title = Opret boligområde
field-community-name = Boligområdets navn
field-my-name = Dit navn
create-submit = Opret
join-title = Bliv medlem
field-invite = Invitationskode
invite-placeholder = Indsæt koden fra invitationen
invite-from-picture = Læs invitation fra et billede
join-submit = Bliv medlem
back = Tilbage
cancel = Annuller
close = Luk
working = Et øjeblik…

# Navigation
nav-wallet = Point
nav-activities = Aktiviteter
nav-scan = Tjek ind
nav-members = Medlemmer
nav-sync = Synk

# Venter på bekræftelse
pending-banner = Du venter på, at en medarbejder bekræfter dig. Synkronisér i beboerhuset (Synk).

# Point
wallet-title = Dine point
wallet-balance-label = Point i alt
wallet-pending = +{ $amount } afventer
wallet-history = Historik
wallet-empty = Ingen point endnu. Tjek ind til en aktivitet for at tjene point.
line-pending = afventer
line-pending-amount = +{ $amount } · afventer
line-issued = +{ $amount }
line-capped = dagens loft nået
line-unknown-activity = Aktivitet

# Aktiviteter
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

# Redigering
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
editor-saved = Gemt.

# Tjek-ind-kode
qr-title = Tjek ind: { $title }
qr-help = Hold telefonen op mod koden. Koden skifter hvert 30. sekund.
qr-rotates = Ny kode om { $seconds } s
qr-show-text = Kan ikke scanne? Vis koden som tekst
qr-text-label = Koden som tekst

# Scan
scan-title = Tjek ind
scan-help = Tag et billede af koden på skærmen i beboerhuset, eller indsæt koden.
scan-picture = Tag eller vælg billede
scan-paste-label = Kode
scan-paste-placeholder = Indsæt koden her
scan-submit = Tjek ind
scan-ok = Tjekket ind — +{ $reward } afventer
scan-ok-unknown = Tjekket ind — point afventer
scan-reading = Læser billedet…

# Medlemmer
members-title = Medlemmer
members-invite = Invitér et nyt medlem
members-invite-help = Den nye beboer scanner koden med Nabo. Koden gælder i 14 dage.
members-invite-role = Rolle
role-resident = Beboer
role-volunteer = Frivillig
role-coordinator = Medarbejder
members-show-invite = Vis invitation
member-revoke = Fjern adgang
member-revoke-confirm = Fjern adgangen for { $name }? Telefonen kan ikke længere synkronisere, og nye tjek-ind belønnes ikke. Point, der allerede er optjent, bliver i historikken.
member-revoked = adgang fjernet
member-reinstate = Giv adgang igen
member-pending = venter på bekræftelse
member-balance = { $balance } point
members-empty = Ingen medlemmer endnu.
your-device = Din enheds kode: { $device }

# Del data
exchange-title = Med en fil
exchange-help = Intet netværk? Flyt nyt med en fil: gem en fil her, og åbn den på den anden enhed. Gør det begge veje.
exchange-export = Gem fil med data
exchange-exported = Filen er gemt her:
exchange-exported-detail = Dokumenter: { $documents }. Størrelse: { $kb } kB.
exchange-import = Åbn fil fra en anden enhed
exchange-imported = Data hentet. Opdaterede dokumenter: { $documents }.
exchange-imported-coordinator = Bekræftede medlemmer: { $members }. Belønninger: { $rewards }. Over loftet: { $capped }.

# Synk
sync-title = Synk
sync-help = I beboerhuset udveksler din telefon og husets hub alt nyt: tjek-ind, point og medlemmer.
sync-hubs = Hubs
sync-no-hubs = Ingen hub endnu. Scan hubbens kode i beboerhuset, eller skriv dens korte kode.
sync-now = Synkronisér nu
sync-pair-label = Hub-kode
sync-pair-placeholder = fx 192.168.1.20:47800 3f2a-9c1b-7e4d-5a60
sync-pair = Tilføj hub
sync-pair-picture = Læs hubbens kode fra et billede
sync-paired = Hubben er gemt. Tryk på “Synkronisér nu”.
sync-forget = Glem
sync-forget-confirm = Glem denne hub? Du kan tilføje den igen med dens kode.
sync-last = Sidst synkroniseret { $time }
sync-never = Aldrig synkroniseret
sync-hub-title = Denne enhed som hub
sync-hub-help = Lad andre telefoner synkronisere med denne enhed, fx når hubben ikke er der.
sync-hub-help-coordinator = Tænd hubben i beboerhuset. Telefonerne scanner koden én gang og synkroniserer, når de kommer forbi. Tjek-ind belønnes automatisk.
sync-hub-start = Tænd hub
sync-hub-stop = Sluk hub
sync-short-code = Kort kode (til at skrive):
sync-hub-connected = { $count ->
    [one] 1 enhed forbundet
   *[other] { $count } enheder forbundet
}
sync-peers = Enheder
sync-no-peers = Ingen synkroniseringer endnu.
sync-connecting = Forbinder til { $peer }…
sync-syncing = Synkroniserer med { $peer }…
sync-done = Synkroniseret med { $peer }.
sync-failed = Synkronisering med { $peer } mislykkedes:
sync-finished = Synkronisering færdig.
sync-totals = { $records } nye poster i { $documents } dokumenter; sendt { $sent } dokumenter ({ $kb } kB).
refusal-other-community = den hører til et andet boligområde
refusal-not-member = enheden er ikke medlem (endnu)
refusal-revoked = medlemskabet er trukket tilbage
refusal-unexpected-peer = det er ikke den hub, der blev tilføjet
refusal-bad-identity = dens identitet kunne ikke bekræftes

# Fejl
error-not-set-up = Denne enhed er ikke medlem af et boligområde endnu.
error-already-set-up = Denne enhed hører allerede til et boligområde.
error-not-coordinator = Kun medarbejdere kan gøre det.
error-not-found = Det findes ikke (længere).
error-field-required = Udfyld feltet “{ $field }”.
error-field-too-long = Feltet “{ $field }” er for langt.
error-field-out-of-range = Feltet “{ $field }” skal være mellem 1 og 1000.
error-field-ends-before-start = Aktiviteten skal slutte efter, den starter.
error-field-below-reward = Loftet skal være mindst lige så stort som point pr. tjek-ind.
error-field-invalid = Tjek feltet “{ $field }”.
error-code-not-nabo = Det er ikke en Nabo-kode.
error-code-unknown-kind = Nabo kender ikke denne slags kode. Opdater appen.
error-code-version = Koden er lavet af en nyere Nabo. Opdater appen.
error-code-damaged = Koden er beskadiget. Scan den igen.
error-wrong-kind = Det er en anden slags kode end forventet her.
error-checkin-foreign = Koden hører til et andet boligområde.
error-checkin-unknown-signer = Koden er ikke lavet af en medarbejder i dit boligområde.
error-checkin-forged = Koden er forfalsket eller ændret. Ingen tjek-ind.
error-checkin-expired = Koden er udløbet. Scan den nye kode på skærmen.
error-checkin-not-yet = Koden gælder ikke endnu. Tjek telefonens ur.
error-checkin-repeat = Du har allerede tjekket ind til denne aktivitet i dag.
error-checkin-unknown-activity = Aktiviteten kendes ikke.
error-invite-forged = Invitationen er forfalsket eller beskadiget.
error-invite-expired = Invitationen er udløbet. Bed om en ny.
error-image-unreadable = Filen er ikke et billede, Nabo kan læse.
error-no-qr = Der er ingen kode på billedet. Prøv igen tættere på og uden skygge.
error-sync-not-a-file = Filen er ikke en Nabo-datafil.
error-sync-too-new = Filen er lavet af en nyere Nabo. Opdater appen.
error-sync-damaged = Filen er beskadiget. Intet er ændret.
error-sync-other-community = Filen er fra et andet boligområde. Intet er ændret.
error-file = Filen kunne ikke gemmes eller læses ({ $path }).
error-storage = Noget gik galt med lagringen. Intet er ændret. Prøv igen.
error-ipc = Appen svarede ikke som ventet. Genstart Nabo.
error-hub-other-community = Den hub hører til et andet boligområde.
error-hub-short-code = Det er ikke en hub-kode. Skriv adressen, et mellemrum og koden, fx 192.168.1.20:47800 3f2a-9c1b-7e4d-5a60.
error-no-hub = Ingen hub endnu. Tilføj beboerhusets hub først.
error-hub-failed = Hubben kunne ikke starte ({ $detail }).
error-sync-unreachable = Hubben svarede ikke. Er du på beboerhusets netværk?
error-sync-refused-by-peer = Den anden enhed sagde nej: { $reason }.
error-sync-refused-peer = Nabo afviste den anden enhed: { $reason }.
error-sync-peer-damaged = Den anden enhed sendte beskadigede data. Intet af det blev gemt.
error-sync-peer-other-community = Den anden enhed sendte data fra et andet boligområde. Intet af det blev gemt.
error-sync-timeout = Den anden enhed holdt op med at svare. Prøv igen.
error-sync-interrupted = Forbindelsen blev afbrudt. Det, der nåede frem, er gemt; synkronisér igen.

# Felter i fejlbeskeder
fieldname-title = Titel
fieldname-description = Beskrivelse
fieldname-place = Sted
fieldname-end = Slutter
fieldname-reward = Point pr. tjek-ind
fieldname-daily_cap = Højst point pr. dag
fieldname-community_name = Boligområdets navn
fieldname-my_name = Dit navn
fieldname-date = Dato
fieldname-start = Starter
