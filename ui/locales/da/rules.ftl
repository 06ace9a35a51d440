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
