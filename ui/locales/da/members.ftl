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
members-open-review = Se listen
