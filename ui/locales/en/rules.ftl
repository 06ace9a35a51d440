# Rules for points
rules-title = Rules for points
rules-per-hour = One hour of volunteering earns { $amount } points.
rules-cap = A volunteer can get at most { $amount } points for hours on one day.
rules-no-cap = There is no limit on points for hours in a day.
rules-field-per-hour = Points per hour
rules-field-cap = Most points for hours per day
rules-cap-help = Leave it empty for no limit.
rules-save = Save the rules
rules-ask = Change the rules?
rules-ask-note = From now on: { $rules } Hours already approved keep their points.
rules-saved = The rules are saved.
rules-history = Earlier changes
rules-changed-by = Changed by { $who }, { $time }
fieldname-per_hour = Points per hour
fieldname-hours_daily_cap = Most points for hours per day
rules-per-checkin = New activities give { $amount } points per check-in unless someone chooses otherwise.
rules-field-per-checkin = Points per check-in for new activities
rules-per-checkin-help = Each activity can still have its own number.
fieldname-per_checkin = Points per check-in for new activities
rules-expiry = Points not spent expire { $months ->
    [one] one month
   *[other] { $months } months
} after the month they were given in.
rules-no-expiry = Points do not expire.
rules-field-expiry = Points expire after (months)
rules-expiry-help = Leave it empty if points should never expire. For example 12: points from March expire on 1 April the year after.
fieldname-expiry_months = Points expire after (months)
rules-credit = A balance may go { $amount } points below zero when paying.
rules-no-credit = A balance may not go below zero.
rules-field-credit = Credit: how far below zero a balance may go (points)
rules-credit-help = Leave it empty for no credit. Payments that go further show under Review.
fieldname-credit_limit = Credit
