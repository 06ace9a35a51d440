# Point
wallet-title = Dine point
wallet-balance-label = Point i alt
wallet-pending = { $amount } afventer
wallet-history = Historik
wallet-empty = Ingen point endnu. Tjek ind til en aktivitet for at tjene point.
line-pending = afventer
line-pending-amount = { $amount } · afventer
line-issued = { $amount }
line-capped = dagens loft nået
line-unknown-activity = Aktivitet
fieldname-amount = Antal point
line-awaiting-amount = { $amount } · venter på godkendelse
line-declined = afvist
line-declined-why = Afvist: { $reason }
