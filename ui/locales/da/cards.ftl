# Medlemskort, for beboere uden smartphone.
card-heading = Medlemskort
card-code = Kode
card-how = Vis kortet, når du kommer til en aktivitet: så tjekker en koordinator dig ind, og du får dine point. For at betale med point skal du taste din pinkode. Mister du kortet, så sig det til en koordinator: det gamle kort spærres, og du får et nyt med de samme point.
card-saved = Kortet er gemt og klar til at blive printet: { $path } (kode { $code })
card-making = Laver kortet …
card-enrol-title = Nyt medlemskort
card-enrol-help = Til en beboer uden smartphone. Beboeren vælger selv en pinkode og taster den her. Pinkoden gemmes ikke nogen steder – kun på kortet, låst med koden – så skriv den ikke ned.
card-enrol-submit = Lav kort og gem det til print
card-pin-help = 6 til 12 cifre, som beboeren vælger og husker. Den skal bruges, når der betales med kortet.
fieldname-name = Navn
fieldname-pin = Pinkode
fieldname-pin_again = Pinkode igen
card-new-heading = Nyt kort
card-new-title = Nyt kort til { $name }?
card-new-confirm = { $name }s gamle kort holder op med at virke med det samme. Point og historik bliver. Beboeren vælger en ny pinkode.
card-new-yes = Spær det gamle og lav nyt
card-new-submit = Lav nyt kort
card-desk-title = Medlemskort: { $name }
card-desk-activity = Aktivitet
card-desk-checkin = Tjek ind med kortet
card-desk-no-activities = Der er ingen aktiviteter at tjekke ind til.
card-desk-pay-title = Betal med kortet
card-desk-pay-help = Skriv antal point og hvad det er for, og lad kortholderen skrive sin pinkode.
card-checked-in = { $name } er tjekket ind til { $activity } og har fået { $amount } point.
card-already = { $name } er allerede tjekket ind til { $activity } i dag.
card-pay-title = Betal med medlemskort
card-pay-picture = Tag et billede af kortet
card-pay-text = Eller indsæt kortets kode
card-pay-pin-help = Kortholderen taster selv sin pinkode.
card-pay-submit = Betal med kortet
card-pay-checking = Tjekker pinkoden …
devices-card-first = Medlemskort
devices-card-added = Medlemskort, tilføjet { $time }
error-wrong-kind-card = Det er et medlemskort. Det scannes af en koordinator ved en aktivitet eller af den, der tager imod point.
error-card-other-community = Kortet hører til et andet boligområde.
error-card-unknown = Kortet kendes ikke her. Synkronisér først; hjælper det ikke, så spørg en koordinator.
error-card-blocked = Kortet er spærret. Kortholderen kan få et nyt hos en koordinator.
error-card-wrong-pin = Forkert pinkode. { $left ->
    [0] Kortet kan ikke bruges mere i dag på denne enhed.
    [one] Ét forsøg tilbage i dag.
   *[other] { $left } forsøg tilbage i dag.
}
error-card-too-many = For mange forkerte pinkoder i dag. Kortet kan bruges igen i morgen.
