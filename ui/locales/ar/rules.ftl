# قواعد النقاط
rules-title = قواعد النقاط
rules-per-hour = ساعة واحدة من التطوع تعطي { $amount } نقطة.
rules-cap = يمكن للمتطوع أن يحصل على { $amount } نقطة كحد أقصى عن الساعات في يوم واحد.
rules-no-cap = لا يوجد حد أقصى لنقاط الساعات في اليوم.
rules-field-per-hour = نقاط لكل ساعة
rules-field-cap = أقصى عدد نقاط للساعات في اليوم
rules-cap-help = اترك الحقل فارغًا إذا لم يكن هناك حد.
rules-save = احفظ القواعد
rules-ask = تغيير القواعد؟
rules-ask-note = من الآن: { $rules } الساعات التي تمت الموافقة عليها تحتفظ بنقاطها.
rules-saved = تم حفظ القواعد.
rules-history = تغييرات سابقة
rules-changed-by = غيّرها { $who }، { $time }
fieldname-per_hour = نقاط لكل ساعة
fieldname-hours_daily_cap = أقصى عدد نقاط للساعات في اليوم
