# Medlemmer
members-title = Medlemmer
members-invite = Invitér et nyt medlem
members-invite-help = Den nye beboer scanner koden med Nabo. Koden gælder i 14 dage, eller til den er brugt.
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
members-open-review = Se listen
members-invite-uses = Hvor mange må bruge den?
members-invite-uses-n = { $count ->
    [one] 1 person
   *[other] { $count } personer (en husstand)
}
members-invite-uses-help = Hver telefon, der bruger invitationen, tæller. Når den er brugt op, skal du selv godkende flere.
member-revoke-title = Fjern adgangen for { $name }?
invites-open = Åbne invitationer
invite-uses-left = { $used } af { $uses } brugt
invite-until = gælder til { $time }
invite-show = Vis
invite-withdraw = Træk tilbage
invite-withdraw-title = Træk invitationen tilbage?
invite-withdraw-confirm = Invitationen ({ $role }) kan ikke længere bruges. Den, der allerede er blevet medlem med den, beholder sin adgang.
members-lone-coordinator = Du er den eneste medarbejder. Invitér en til som medarbejder: bliver en telefon eller computer væk, kan den anden fjerne dens adgang.
members-list = Alle medlemmer
members-search = Søg efter navn
sort-by-name = Navn
sort-by-balance = Flest point
invite-share-title = Invitation til Nabo
invite-withdrawn = Invitationen er trukket tilbage.
member-revoked-toast = Adgangen er fjernet.
member-history-title = { $name }s point
member-history-empty = Ingen tjek-ind eller point endnu.
fieldname-uses = Hvor mange må bruge den
