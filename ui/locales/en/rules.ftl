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
