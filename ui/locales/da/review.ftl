# Til gennemsyn: det, en medarbejder skal se på
review-title = Til gennemsyn
review-help = Her står det, Nabo ikke har godtaget fra telefonerne. Det tæller ikke med. Tal med den, det kom fra.
review-empty = Intet at gennemse. Alt, der er kommet ind, er godtaget.
review-count = { $count ->
    [one] 1 ting at se på
   *[other] { $count } ting at se på
}
review-from = Kom fra: { $device }
review-signed-by = Underskrevet af: { $who }
review-unknown-device = en ukendt enhed ({ $device })
review-where = Sted i dataene
record-kind-genesis = Boligområdets oprettelse
record-kind-membership = Et medlemskab
record-kind-revocation = En fjernet adgang
record-kind-reinstatement = En genoprettet adgang
record-kind-join-request = En anmodning om at blive medlem
record-kind-invite-withdrawal = En tilbagetrukket invitation
record-kind-activity = En aktivitet
record-kind-check-in = Et tjek-ind
record-kind-ledger-entry = En pointpost
record-kind-unknown = Ukendte data
review-reason-unknown-key = Nabo skriver ikke den slags her.
review-reason-not-signed = Det er ikke underskrevet.
review-reason-unreadable = Det kan ikke læses.
review-reason-bad-signature = Underskriften passer ikke: det er forfalsket eller ændret.
review-reason-misplaced = Det passer ikke til det sted, det ligger.
review-reason-not-self-certifying = Boligområdets nøgle passer ikke.
review-reason-invalid-field = Feltet “{ $field }” er ugyldigt.
review-reason-not-entitled-coordinator = Kun medarbejdere må lave det, men det er underskrevet af en anden.
review-reason-not-entitled-founder = Kun den, der oprettede boligområdet, må lave det.
review-reason-not-entitled-subject = Kun medlemmet selv må lave det.
review-reason-bad-invite = Invitationen er ikke fra en medarbejder her, eller den er forfalsket. Ingen kan bekræfte anmodningen.
review-reason-erased = Nogen har slettet det. Underskrevne poster bliver: det tæller stadig med.
review-reason-put-back = Nogen har lagt en ældre udgave tilbage. Det ændrer intet: den nyeste udgave gælder.
review-reason-awaiting-coordinator = Vil være medarbejder. Det bliver man kun, når en medarbejder godkender det.
review-reason-awaiting-expired = Invitationen var udløbet, da anmodningen kom frem. Godkend den, hvis du kender personen.
review-reason-awaiting-used-up = Invitationen er allerede brugt af så mange, som den må. Godkend den, hvis personen hører til husstanden.
review-reason-awaiting-withdrawn = Invitationen er trukket tilbage. Godkend kun, hvis du kender personen.
review-reason-awaiting-old-invite = Invitationen er fra en ældre udgave af Nabo. Godkend den, hvis du kender personen.
review-approve = Godkend
review-reason-late-checkin = Tjek-ind til { $activity } kl. { $time } — før telefonens sidste synk her, eller efter nu. Er uret stillet forkert? Det giver kun point, hvis du godkender det.
review-reason-poster-checkin = Tjek-ind til { $activity } kl. { $time } med aktivitetens plakat. En plakat kan fotograferes og bruges hvor som helst, så det giver kun point, hvis du godkender det.
review-decline = Afvis
review-decline-label = Hvorfor afviser du?
review-decline-help = Medlemmet ser begrundelsen.
review-decline-submit = Afvis tjek-ind
review-declined = Tjek-ind afvist.
review-group = { $activity }, { $day }: { $count } tjek-ind venter.
review-approve-all = Godkend alle { $count }
review-approved-many = { $count ->
    [one] Et tjek-ind godkendt.
   *[other] { $count } tjek-ind godkendt.
}
fieldname-reason = Begrundelse
record-kind-movement = En pointrettelse
