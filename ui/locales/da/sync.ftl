# Synk i beboerhuset
sync-title = Synk
sync-help = Kom forbi beboerhuset: din telefon og beboerhusets computer udveksler tjek-ind, point og medlemmer.
sync-hubs = Beboerhusets computer
sync-no-hubs = Ikke tilføjet endnu. Tag et billede af koden på beboerhusets computer, eller skriv den.
sync-now = Synkronisér nu
sync-pair-label = Computerens kode
sync-pair = Tilføj
sync-pair-picture = Læs koden fra et billede
sync-paired = Beboerhusets computer er tilføjet. Tryk på “Synkronisér nu”.
sync-forget = Glem
sync-forget-title = Glem denne hub?
sync-forget-confirm = Telefonen synkroniserer ikke længere med den. Du kan tilføje den igen med dens kode.
sync-last = Sidst synkroniseret { $time }
sync-never = Aldrig synkroniseret
sync-hub-title = Del data med telefonerne
sync-hub-help-coordinator = Tænd, når du er i beboerhuset. Telefonerne tager et billede af koden én gang og synkroniserer, når de kommer forbi. Tjek-ind får deres point med det samme.
sync-hub-start = Tænd for deling
sync-hub-stop = Sluk for deling
sync-short-code = Adresse og kode (til at skrive):
sync-hub-connected = { $count ->
    [one] 1 enhed forbundet
   *[other] { $count } enheder forbundet
}
sync-peers = Telefoner, der har synkroniseret
sync-no-peers = Ingen synkroniseringer endnu.
sync-connecting = Forbinder til { $peer }…
sync-syncing = Synkroniserer med { $peer }…
sync-done = Synkroniseret med { $peer }.
sync-failed = Synkronisering med { $peer } mislykkedes:
sync-finished = Synkronisering færdig.
refusal-other-community = den hører til et andet boligområde
refusal-not-member = enheden er ikke medlem (endnu)
refusal-revoked = medlemskabet er trukket tilbage
refusal-retired = telefonen er taget ud af brug
refusal-unexpected-peer = det er ikke den hub, der blev tilføjet
refusal-bad-identity = dens identitet kunne ikke bekræftes
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
refusal-unavailable = den kunne ikke tjekke medlemskabet lige nu; prøv igen om lidt
sync-help-coordinator = Her deler denne computer data med telefonerne i beboerhuset.
sync-hubs-coordinator = Andre computere, denne enhed synkroniserer med
sync-pair-help = Skriv adressen og koden, som de står på beboerhusets computer, fx 192.168.1.20:47800 3f2a-9c1b-7e4d-5a60.
sync-paired-short = Tilføjet.
sync-device-of = { $name }s computer
sync-house-computer = beboerhusets computer
sync-starting = Synkroniserer…
sync-summary-confirmed = Du er nu bekræftet som medlem.
sync-summary-points = { $points } point modtaget.
sync-summary-activities = { $count ->
    [one] 1 ny aktivitet.
   *[other] { $count } nye aktiviteter.
}
sync-summary-sent = Dine tjek-ind er sendt.
sync-summary-nothing = Intet nyt. Alt er opdateret.
sync-peer-news = { $count ->
    [0] intet nyt
    [one] 1 ny ting modtaget
   *[other] { $count } nye ting modtaget
}
sync-peer-issued = { $count ->
    [one] 1 godkendt
   *[other] { $count } godkendt
}
sync-peers-resident = Synkroniseret med
sync-list-revoked = Adgangen er fjernet
error-sync-revoked = En medarbejder har fjernet din adgang, så telefonen kan ikke synkronisere. Tal med nogen i beboerhuset, hvis det er en fejl.
sync-list-retired = Telefonen er taget ud af brug
error-sync-retired = Denne telefon er taget ud af brug, fordi en medarbejder har flyttet dit medlemskab til en ny telefon eller et kort. Dine point og din historik fulgte med. Tal med nogen i beboerhuset, hvis det er en fejl.
