# Borgerbudget: runder, forslag, vurdering, stemmesedler og optælling.
settings-budget-rounds = Åbn borgerbudgettet
rounds-title = Borgerbudget
rounds-lead = Beboerne foreslår, hvad et lokalt budget skal bruges til, og bestemmer det sammen ved at stemme. Hver runde har sine faser: idéer, vurdering, afstemning og resultat.
rounds-empty = Der er ingen runde endnu. En koordinator åbner en med beløb og datoer.
rounds-new = Åbn en runde
round-facts = { $amount } · { $phase } · { $proposals ->
    [one] 1 forslag
   *[other] { $proposals } forslag
}
round-kroner = { $amount } kr.
round-phase-not-yet = Ikke begyndt
round-phase-ideas = Idéer
round-phase-review = Vurdering
round-phase-voting = Afstemning
round-phase-counting = Venter på optælling
round-phase-result = Resultat
round-field-title = Rundens navn
round-field-amount = Beløb til fordeling (kroner)
round-field-area = Område
round-field-ideas = Idéer fra
round-field-review = Vurdering fra
round-field-voting = Afstemning fra
round-field-result = Resultat den
round-field-min = Sæt kryds ved mindst (forslag)
round-min-help = Lad feltet stå tomt, hvis der ikke er noget mindstetal.
round-field-max = Sæt kryds ved højst (forslag)
round-max-help = Lad feltet stå tomt, hvis der ikke er noget højestetal.
round-field-limit = Forslagene med kryds må højst koste (kroner)
round-limit-help = Lad feltet stå tomt, hvis der ikke er nogen grænse.
round-field-rule = Hvilket resultat offentliggøres
round-rule-help = Begge resultater regnes altid ud og vises side om side.
round-open = Åbn runden
round-change = Ændr runden
round-save-changes = Gem ændringerne
round-changed = Runden er ændret
round-opened = Runden er åben
round-summary = { $amount } til fordeling i { $area }. Nu: { $phase }.
round-start-ideas = Begynd at samle idéer nu
round-start-review = Begynd vurderingen nu
round-start-voting = Åbn afstemningen nu
round-start-ask-note = Runden går over til "{ $phase }" i dag. Medlemmerne ser det efter næste synkronisering.
round-proposals = Forslag
round-no-proposals = Der er ingen forslag endnu.
round-result = Resultatet
round-ballots-held = Denne enhed har { $ballots ->
    [one] 1 stemmeseddel
   *[other] { $ballots } stemmesedler
} ({ $paper } på papir). Synkronisér med alle telefoner før optællingen: stemmesedler, der kommer bagefter, tæller ikke.
round-close = Luk afstemningen og tæl op
round-close-ask = Luk afstemningen og tæl op?
round-close-ask-note = { $ballots ->
    [one] 1 stemmeseddel tælles
   *[other] { $ballots } stemmesedler tælles
} nu. Derefter kan ingen stemme eller ændre sin stemmeseddel i denne runde.
round-export = Gem som afstemningsfil (.pb)
round-exported = Gemt: { $path }. Værktøjer som pabutools og equalshares.net kan læse den.
round-closed = Talt op. Resultatet står nedenfor.
proposal-new = Foreslå en idé
proposal-new-help = Skriv, hvad det er, hvorfor det hjælper, og cirka hvad det koster. En koordinator ser alle idéer igennem før afstemningen.
proposal-field-title = Titel
proposal-field-description = Hvad og hvorfor
proposal-field-cost = Hvad det koster (kroner)
proposal-field-category = Kategori (for eksempel udeareal, kultur)
proposal-field-recipient = Hvem modtager pengene
proposal-recipient-help = En forening eller boligorganisationen modtager pengene, så du behøver ikke et CVR-nummer.
proposal-save = Send forslaget
proposal-saved = Dit forslag er gemt
proposal-to = til { $recipient }
proposal-by = foreslået af { $proposer }
proposal-feasible = På stemmesedlen ({ $who } har set det igennem).
proposal-not-feasible = Ikke på stemmesedlen: { $reason } ({ $who })
proposal-cost-changed = Prisen er ændret fra { $proposed } til { $cost }: { $reason }
proposal-review-outdated = Forslaget er ændret efter vurderingen; stemmesedlen viser den udgave, der blev set igennem.
proposal-withdraw = Træk forslaget tilbage
proposal-withdraw-ask = Vil du trække dit forslag tilbage?
proposal-withdraw-ask-note = Det forsvinder fra listen for alle efter næste synkronisering.
proposal-withdrawn = Forslaget er trukket tilbage
proposal-review = Vurdér forslaget
proposal-field-reason = Begrundelse (forslagsstilleren ser den; skal udfyldes, når forslaget ikke kommer på stemmesedlen, eller prisen ændres)
proposal-field-new-cost = Ny pris, hvis den ændres (kroner)
proposal-put-on-ballot = Sæt det på stemmesedlen
proposal-not-on-ballot = Ikke på stemmesedlen
proposal-reviewed = Vurderingen er gemt
ballot-title = Din stemmeseddel
ballot-help = Sæt kryds ved alle de forslag, du støtter. Du kan ændre din stemmeseddel, indtil afstemningen lukker.
ballot-voted = Du har stemt. Du kan ændre din stemmeseddel, indtil afstemningen lukker; kun din seneste tæller.
ballot-rule-min = Sæt mindst { $count } kryds.
ballot-rule-max = Sæt højst { $count } kryds.
ballot-rule-limit = Tilsammen må de højst koste { $limit }.
ballot-running = { $count ->
    [one] 1 kryds
   *[other] { $count } kryds
}: { $total } af budgettet på { $budget }
ballot-over-budget = Det er mere end budgettet, og det er i orden: sæt kryds ved alt, du støtter, så afgør optællingen, hvad der er plads til.
ballot-sign = Stem
ballot-change = Ændr min stemmeseddel
ballot-cast = Din stemmeseddel er gemt
error-ballot-not-ideas = Idéer modtages kun, mens runden samler idéer.
error-ballot-not-voting = Afstemningen er ikke åben i denne runde.
error-ballot-counted = Runden er talt op. Intet kan ændre den længere.
error-ballot-not-counted = Runden er ikke talt op endnu.
error-ballot-not-on-ballot = Et af forslagene med kryds står ikke på stemmesedlen.
error-ballot-empty = Der er ingen forslag på stemmesedlen endnu.
error-ballot-too-few = Sæt mindst { $count } kryds.
error-ballot-too-many = Sæt højst { $count } kryds.
error-ballot-over-limit = Forslagene med kryds koster tilsammen mere end { $limit }.
fieldname-area = Område
fieldname-ideas = Idéer fra
fieldname-review = Vurdering fra
fieldname-voting = Afstemning fra
fieldname-result = Resultat den
fieldname-min = Mindst
fieldname-max = Højst
fieldname-cost_limit = Prisgrænse
fieldname-cost = Pris
fieldname-category = Kategori
fieldname-recipient = Modtager af pengene
paper-title = Indtast en stemmeseddel på papir
paper-help = For en, der stemmer på papir: scan medlemskortet eller engangskoden, der er trykt på stemmesedlen, skriv koden, eller vælg medlemmet. Et medlems papirstemmeseddel tæller i stedet for en stemme fra telefonen.
paper-card-picture = Læs medlemskortet eller sedlens kode fra et billede
paper-voter = Medlemskortets kode eller sedlens engangskode
paper-member = Eller vælg medlemmet
paper-member-none = Vælg …
paper-enter = Indtast stemmesedlen
paper-entered = Stemmesedlen fra { $name } er indtastet
ballot-voted-paper = En koordinator har indtastet din stemmeseddel på papir; det er den, der tæller.
open-round-voting = Der er åben afstemning i borgerbudgettet { $title } indtil { $until }.
open-round-vote = Stem
open-round-ideas = Borgerbudgettet { $title } samler idéer indtil { $until }.
open-round-propose = Se og foreslå idéer
paper-entered-code = Stemmesedlen med koden { $code } er indtastet
paper-code-used-ask = Koden er allerede indtastet
paper-code-used-ask-note = En stemmeseddel med denne engangskode er allerede indtastet. Retter du en fejl, så erstat den; er det en anden seddel med samme kode, så lad være.
paper-code-replace = Erstat den stemmeseddel
error-ballot-unknown-code = Ingen stemmeseddel i denne runde er trykt med den kode. Tjek bogstaverne.
error-ballot-code-used = En stemmeseddel med den kode er allerede indtastet.
census-title = Udskriv stemmesedler til dem, der ikke er medlemmer
census-help = Hver stemmeseddel får sin egen engangskode, så den tæller én gang. Indtast en udfyldt seddel ved at scanne eller skrive koden.
census-count = Hvor mange stemmesedler
census-print = Udskriv stemmesedler
census-printed = { $count ->
    [one] 1 stemmeseddel er gemt: { $path }
   *[other] { $count } stemmesedler er gemt: { $path }
}
census-codes = De trykte koder
census-heading = Stemmeseddel
census-how = Sæt kryds ved hvert forslag, du støtter. { $rule }
census-rule-none = Du må støtte så mange, du vil.
census-rule-max = Højst { $max ->
    [one] 1 forslag
   *[other] { $max } forslag
}.
census-code = Engangskode
census-hand-in = Aflever stemmesedlen til en koordinator i fælleshuset. Hver kode tæller én gang.
fieldname-count = Antal stemmesedler
round-field-knapsack = Rygsæk-stemmeseddel: det, der sættes kryds ved, skal kunne betales af budgettet
round-knapsack-help = Hver vælger sammensætter sit eget budget: forslagene med kryds må tilsammen højst koste det beløb, der skal fordeles.
proposal-photo-add = Tilføj et billede
proposal-photo-change = Skift billedet
proposal-photo-remove = Fjern billedet
proposal-photo-saved = Billedet er tilføjet
proposal-photo-removed = Billedet er fjernet
proposal-photo-remove-ask = Fjern billedet?
proposal-photo-remove-ask-note = Forslaget bliver; kun billedet forsvinder. Du kan tilføje et andet, mens der samles idéer.
proposal-photo-alt = Billede til forslaget { $title }

# Beskrivelser skrevet sammen
together-helpers = Skrevet sammen med { $names }
together-write = Ret beskrivelsen
together-field-text = Hvad og hvorfor
together-help = Dem, der skriver med, kan rette samtidig med dig: det, de skrev, bliver stående, og dit kommer oveni.
together-save = Gem beskrivelsen
together-saved = Beskrivelsen er gemt
together-choose = Vælg, hvem der skriver med
together-field-helpers = Hjælpere
together-helpers-help = Hjælpere kan rette beskrivelsen fra deres egen telefon. Vælg op til { $count }.
together-no-members = Der er endnu ingen andre medlemmer at vælge.
together-helpers-save = Gem hjælperne
together-helpers-saved = Hjælperne er gemt
fieldname-helpers = Hjælpere
error-ballot-not-helper = Kun den, der foreslog det, og de hjælpere, vedkommende valgte, kan rette beskrivelsen.
error-ballot-text-changed = Beskrivelsen er blevet ændret imens på en måde, der ikke kan lægges sammen med din rettelse. Kopiér din tekst, luk og begynd igen fra teksten, som den er nu.
