# Member cards, for residents without a smartphone.
card-heading = Member card
card-code = Code
card-how = Show the card when you come to an activity: a coordinator checks you in and you get your points. To pay with points you type your PIN. If you lose the card, tell a coordinator: the old card is blocked and you get a new one with the same points.
card-saved = The card is saved, ready to print: { $path } (code { $code })
card-making = Making the card …
card-enrol-title = New member card
card-enrol-help = For a resident without a smartphone. The resident chooses a PIN and types it here. The PIN is not stored anywhere – only on the card, locked with it – so do not write it down.
card-enrol-submit = Make the card and save it to print
card-pin-help = 6 to 12 digits the resident chooses and remembers. It is needed to pay with the card.
fieldname-name = Name
fieldname-pin = PIN
fieldname-pin_again = PIN again
card-new-heading = New card
card-new-title = A new card for { $name }?
card-new-confirm = { $name }'s old card stops working at once. Points and history stay. The resident chooses a new PIN.
card-new-yes = Block the old one and make a new one
card-new-submit = Make a new card
card-desk-title = Member card: { $name }
card-desk-activity = Activity
card-desk-checkin = Check in with the card
card-desk-no-activities = There are no activities to check in to.
card-desk-pay-title = Pay with the card
card-desk-pay-help = Type the points and what they are for, and let the card holder type their PIN.
card-checked-in = { $name } is checked in to { $activity } and got { $amount } points.
card-already = { $name } is already checked in to { $activity } today.
card-pay-title = Pay with a member card
card-pay-picture = Take a picture of the card
card-pay-text = Or paste the card's code
card-pay-pin-help = The card holder types their own PIN.
card-pay-submit = Pay with the card
card-pay-checking = Checking the PIN …
devices-card-first = Member card
devices-card-added = Member card, added { $time }
error-wrong-kind-card = This is a member card. A coordinator scans it at an activity, or whoever takes the points.
error-card-other-community = The card belongs to another neighbourhood.
error-card-unknown = The card is not known here. Sync first; if that does not help, ask a coordinator.
error-card-blocked = The card is blocked. The card holder can get a new one from a coordinator.
error-card-wrong-pin = Wrong PIN. { $left ->
    [0] The card cannot be used on this device again today.
    [one] One try left today.
   *[other] { $left } tries left today.
}
error-card-too-many = Too many wrong PINs today. The card can be used again tomorrow.
