# Regler for point
rules-title = Regler for point
rules-per-hour = En time frivilligt arbejde giver { $amount } point.
rules-cap = En frivillig kan højst få { $amount } point for timer på én dag.
rules-no-cap = Der er ikke noget loft over point for timer på en dag.
rules-field-per-hour = Point pr. time
rules-field-cap = Højst point for timer pr. dag
rules-cap-help = Lad feltet stå tomt for intet loft.
rules-save = Gem reglerne
rules-ask = Ændre reglerne?
rules-ask-note = Fra nu af: { $rules } Timer, der allerede er godkendt, beholder deres point.
rules-saved = Reglerne er gemt.
rules-history = Tidligere ændringer
rules-changed-by = Ændret af { $who }, { $time }
fieldname-per_hour = Point pr. time
fieldname-hours_daily_cap = Højst point for timer pr. dag
rules-per-checkin = Nye aktiviteter giver { $amount } point pr. tjek-ind, hvis man ikke vælger andet.
rules-field-per-checkin = Point pr. tjek-ind for nye aktiviteter
rules-per-checkin-help = Hver aktivitet kan stadig have sit eget antal.
fieldname-per_checkin = Point pr. tjek-ind for nye aktiviteter
rules-expiry = Point, der ikke er brugt, udløber { $months ->
    [one] en måned
   *[other] { $months } måneder
} efter den måned, de blev givet.
rules-no-expiry = Point udløber ikke.
rules-field-expiry = Point udløber efter (måneder)
rules-expiry-help = Lad feltet stå tomt, hvis point aldrig skal udløbe. Fx 12: point fra marts udløber 1. april året efter.
fieldname-expiry_months = Point udløber efter (måneder)
rules-credit = En saldo må gå { $amount } point under nul, når man betaler.
rules-no-credit = En saldo må ikke gå under nul.
rules-field-credit = Kredit: hvor langt under nul må en saldo gå (point)
rules-credit-help = Lad feltet stå tomt for ingen kredit. Betalinger, der går længere ned, vises under Til gennemsyn.
fieldname-credit_limit = Kredit
