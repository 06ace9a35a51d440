# Borgerbudget: en afstemningsfils resultat (pabulib-formatet).
settings-budget = Borgerbudget
settings-budget-help = Beboerne foreslår, hvad et lokalt budget skal bruges til, og stemmer om det. Koordinatorer kan også regne en afstemningsfil fra pabulib.org eller et andet værktøj ud.
settings-budget-open = Åbn en afstemningsfil
budget-title = Borgerbudget: resultat af en afstemning
budget-lead = Åbn en afstemningsfil (.pb fra pabulib.org). Nabo regner begge resultater ud på denne computer, præcist, og forklarer hvert forslag.
budget-open = Åbn en afstemningsfil
budget-working = Regner resultatet ud …
budget-summary = { $title }: { $budget } til fordeling, { $voters ->
    [one] én stemmeseddel
   *[other] { $voters } stemmesedler
}, { $projects ->
    [one] ét forslag
   *[other] { $projects } forslag
}.
budget-equal-shares = Lige andele
budget-equal-shares-help = Hver stemme får en lige stor del af budgettet. Et forslag får penge, når dem, der stemte på det, kan betale det sammen; de penge, der er tilbage, går til de forslag med flest stemmer, der kan nå at komme med.
budget-greedy = Flest stemmer
budget-greedy-help = Forslagene efter antal stemmer, hvert med, hvis der stadig er penge nok.
budget-total = I alt { $total }
budget-all = Alle forslag
budget-facts = Koster { $cost } · { $votes ->
    [one] 1 stemme
   *[other] { $votes } stemmer
}
budget-funded = får penge
budget-not-funded = får ikke penge
budget-paid = { $supporters ->
    [one] 1 person, der stemte på det, betalte
   *[other] { $supporters } personer, der stemte på det, betalte
} { $payment } hver af deres andel.
budget-paid-all-left = { $count ->
    [one] 1 person betalte alt, hvad de havde tilbage.
   *[other] { $count } personer betalte alt, hvad de havde tilbage.
}
budget-completion = Det fik penge af det, der var tilbage af budgettet til sidst.
budget-short = De, der stemte på det, havde kun { $left } tilbage af deres andele, og det koster { $cost }: de havde brugt deres andele på andre forslag.
budget-no-support = Ingen stemte på det, så ingen andele kunne betale for det.
budget-greedy-short = Efter flest stemmer var der kun { $left } tilbage, da det var dets tur, og det koster { $cost }.
budget-tie = Nogle forslag stod lige (samme pris og samme antal stemmer), og der er ikke trukket lod: { $ties }. Nabo tog hver gang det første efter nummer. Træk lod, før resultatet offentliggøres.
error-budget-file = Filen kan ikke læses som en afstemningsfil: { $problem }
error-budget-file-line = Filen kan ikke læses som en afstemningsfil. Linje { $line }: { $problem }
error-budget-ballots = Filen har stemmesedler af typen "{ $kind }". Nabo tæller kun stemmesedler, hvor man sætter kryds ved de forslag, man støtter.
budget-problem-unreadable = teksten er ikke semikolon-adskilt tekst (tjek anførselstegn og tegnsæt).
budget-problem-outside-section = en linje står før afsnittene META, PROJECTS og VOTES.
budget-problem-missing-column = kolonnen "{ $column }" mangler.
budget-problem-missing-section = afsnittet { $section } mangler.
budget-problem-missing-meta = META mangler "{ $key }".
budget-problem-not-a-number = "{ $value }" er ikke et tal.
budget-problem-no-id = linjen har ingen { $column }.
budget-problem-duplicate-project = forslag { $id } står der to gange.
budget-problem-duplicate-voter = stemmeseddel { $id } står der to gange.
budget-problem-unknown-project = stemmesedlen nævner forslag { $id }, som ikke findes i PROJECTS.
budget-problem-unknown-vote-type = stemmesedler af typen "{ $kind }" kendes ikke.
budget-problem-too-many-fields = linjen har flere felter end afsnittet har kolonner.
budget-problem-points-mismatch = antallet af point passer ikke med antallet af forslag.
budget-chart-votes = Stemmer
budget-chart-label = Hvert forslags stemmer som en søjle; farven viser, hvilken regel der finansierer det. Alle forslag står også nedenfor.
budget-chart-both = Finansieret af begge regler
budget-chart-equal = Kun finansieret af lige andele
budget-chart-greedy = Kun finansieret af flest stemmer
budget-chart-neither = Ikke finansieret
