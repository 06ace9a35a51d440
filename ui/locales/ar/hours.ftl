# ساعات التطوع
hours-title = ساعات التطوع
hours-help = هل ساعدت؟ اكتب ساعاتك هنا، حتى بدون إنترنت. بعد المزامنة في بيت الحي، يوافق عليها موظف وتحصل على نقاط.
hours-log = سجّل ساعات
hours-new-title = ساعات جديدة
hours-edit-title = تعديل الساعات
hours-field-work = بماذا ساعدت؟
hours-choose = اختر …
hours-other = شيء آخر
hours-field-other = اكتب ماذا فعلت
hours-field-date = في أي يوم؟
hours-field-how = كيف تريد كتابة الوقت؟
hours-mode-times = من وإلى
hours-mode-duration = عدد الساعات
hours-field-duration = عدد الساعات
hours-duration-help = مثلًا 2 أو 1.5 أو 1:30.
hours-field-note = ملاحظة (اختياري)
hours-rounding = يُقرَّب الوقت إلى أقرب ربع ساعة.
hours-save = احفظ الساعات
hours-saved = تم حفظ ساعاتك. قم بالمزامنة في بيت الحي حتى يوافق عليها موظف.
hours-changed = تم تعديل ساعاتك.
hours-empty = لم تسجّل أي ساعات بعد.
hours-minutes = { $minutes } دقيقة
hours-hours = { $hours ->
    [one] ساعة واحدة
   *[other] { $hours } ساعات
}
hours-hours-minutes = { $hours } س { $minutes } د
hours-state-pending = بانتظار الموافقة
hours-state-withdrawn = تم السحب
hours-state-approved = وافق عليها { $who }، { $time }
hours-state-declined = رفضها { $who }، { $time }: { $reason }
hours-edited-after = عدّلت هذه الساعات بعد الموافقة عليها. التعديل لا يُحسب.
hours-edit = تعديل
hours-withdraw = سحب
hours-withdraw-ask = سحب هذه الساعات ({ $work }، { $date })؟
hours-withdraw-note = لن تتم الموافقة عليها. يمكنك تسجيلها مرة أخرى لاحقًا.
hours-withdrawn-done = تم سحب ساعاتك.
line-hours = ساعات تطوع: { $work }
fieldname-work = بماذا ساعدت
fieldname-duration = عدد الساعات
hours-overruled = أجاب { $who } أيضًا، لكن القرار الأول هو الذي يُحسب.
member-hours-empty = لم تُسجَّل أي ساعات.
