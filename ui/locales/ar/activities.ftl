# الأنشطة، رمز تسجيل الحضور، وتسجيل الحضور
activities-title = الأنشطة
activities-empty = لا توجد أنشطة بعد.
activities-empty-coordinator = أنشئ أول نشاط حتى يستطيع السكان تسجيل حضورهم.
activity-new = نشاط جديد
activity-edit = تعديل
activity-show-qr = عرض رمز تسجيل الحضور
activity-reward = { $reward ->
    [one] نقطة واحدة لكل تسجيل حضور
    [two] نقطتان لكل تسجيل حضور
    [few] { $reward } نقاط لكل تسجيل حضور
   *[other] { $reward } نقطة لكل تسجيل حضور
}
activity-cap = { $cap ->
    [one] نقطة واحدة في اليوم كحد أقصى
    [two] نقطتان في اليوم كحد أقصى
    [few] { $cap } نقاط في اليوم كحد أقصى
   *[other] { $cap } نقطة في اليوم كحد أقصى
}
activity-next = المرة القادمة: { $date }
activity-no-next = لا توجد مواعيد قادمة
activity-today = { $count ->
    [zero] لم يسجّل أحد حضوره اليوم
    [one] سجّل شخص واحد حضوره اليوم
    [two] سجّل شخصان حضورهما اليوم
    [few] سجّل { $count } أشخاص حضورهم اليوم
    [many] سجّل { $count } شخصًا حضورهم اليوم
   *[other] سجّل { $count } شخص حضورهم اليوم
}
repeat-once = مرة واحدة
repeat-weekly = كل أسبوع
editor-new-title = نشاط جديد
editor-edit-title = تعديل النشاط
field-title = اسم النشاط
field-description = الوصف
field-place = المكان
field-date = التاريخ
field-start = وقت البدء
field-end = وقت الانتهاء
field-repeat = التكرار
field-reward = النقاط لكل تسجيل حضور
field-daily-cap = أكبر عدد من النقاط في اليوم (لكل المشاركين معًا)
field-daily-cap-help = اترك الخانة فارغة إذا كنت لا تريد حدًا.
editor-save = حفظ
editor-saved = تم حفظ «{ $title }».
qr-title = تسجيل الحضور: { $title }
qr-help = وجّه كاميرا هاتفك نحو الرمز. الرمز يتغير كل 30 ثانية.
qr-rotates = رمز جديد بعد { $seconds } ث
qr-show-text = لا تستطيع تصوير الرمز؟ اعرض الرمز كنص
qr-text-label = الرمز كنص
scan-title = تسجيل الحضور
scan-title-takes = امسح رمزًا
scan-help = صوّر الرمز الظاهر على الشاشة في مركز الحي، أو الصق الرمز.
scan-help-takes = صوّر رمز دفع أو بطاقة عضوية أو رمز تسجيل حضور، أو الصق الرمز.
scan-picture = التقط صورة أو اختر صورة
scan-paste-label = الرمز
scan-paste-placeholder = الصق الرمز هنا
scan-submit = تسجيل الحضور
scan-submit-takes = اقرأ الرمز
scan-ok = تم تسجيل حضورك في { $activity } — { $amount } نقطة في الانتظار. قم بالمزامنة في مركز الحي لتحصل عليها.
scan-ok-activity = تم تسجيل حضورك في { $activity }. قم بالمزامنة في مركز الحي لتحصل على نقاطك.
scan-already = سجّلت حضورك في { $activity } اليوم من قبل. النقاط تُعطى مرة واحدة في اليوم.
scan-already-unknown = سجّلت حضورك في هذا النشاط اليوم من قبل. النقاط تُعطى مرة واحدة في اليوم.
scan-ok-unknown = تم تسجيل حضورك. قم بالمزامنة في مركز الحي لتحصل على نقاطك.
scan-reading = جارٍ قراءة الصورة…
error-field-out-of-range = قيمة “{ $field }” صغيرة جدًا أو كبيرة جدًا.
error-field-ends-before-start = يجب أن ينتهي النشاط بعد وقت بدايته.
error-field-below-reward = الحد اليومي يجب ألا يكون أقل من النقاط لكل تسجيل حضور.
error-checkin-foreign = هذا الرمز تابع لحي آخر.
error-checkin-unknown-signer = هذا الرمز لم يصنعه موظف من حيّك.
error-checkin-forged = الرمز مزوّر أو تم تغييره. لم يُسجَّل الحضور.
error-checkin-expired = انتهت مدة الرمز. صوّر الرمز الجديد الظاهر على الشاشة.
error-checkin-not-yet = الرمز لا يعمل بعد. تحقق من ساعة هاتفك.
error-checkin-repeat = لقد سجّلت حضورك في هذا النشاط اليوم من قبل.
error-checkin-unknown-activity = هذا النشاط غير معروف.
fieldname-title = اسم النشاط
fieldname-description = الوصف
fieldname-place = المكان
fieldname-end = وقت الانتهاء
fieldname-reward = النقاط لكل تسجيل حضور
fieldname-daily_cap = أكبر عدد من النقاط في اليوم
fieldname-date = التاريخ
fieldname-start = وقت البدء
repeat-every-other-week = كل أسبوعين
repeat-monthly = كل شهر
field-weekdays = في أي أيام؟
field-time-help = اكتب مثلًا 15:00.
activity-archive = نقل إلى الأرشيف
activity-unarchive = إرجاع من الأرشيف
activities-archived = الأنشطة في الأرشيف
error-activity-archived = هذا النشاط في الأرشيف. أرجِعه من الأرشيف أولًا.
activities-search = ابحث عن نشاط أو مكان
activity-attendance = من حضر
activity-archived-toast = نُقل «{ $title }» إلى الأرشيف.
activity-unarchived-toast = عاد «{ $title }» من الأرشيف.
attendance-title = من حضر { $title }
attendance-summary = تسجيلات الحضور: { $checkins } · الأشخاص: { $people }
attendance-empty = لم يسجّل أحد حضوره بعد.
attendance-shown = يتم عرض أحدث { $shown } من { $total }.
attendance-more = عرض المزيد
qr-fullscreen = ملء الشاشة
qr-fullscreen-leave = الخروج من ملء الشاشة

# الملصقات
activity-poster = ملصق (PDF)
poster-saved = تم حفظ الملصق: { $path }
poster-heading = سجّل حضورك هنا عبر Nabo
poster-place = المكان: { $place }
poster-points = { $reward } نقاط في كل مرة
poster-monthly = كل شهر في اليوم { $day }، { $hours }
poster-how = افتح Nabo، واضغط على «تسجيل الحضور»، وصوّر الرمز.
poster-note = تسجيل الحضور عبر الملصق يمنح النقاط بعد موافقة المنسق.
scan-ok-poster = تم تسجيل حضورك في «{ $activity }» عبر الملصق. يجب أن يوافق المنسق قبل أن تحصل على النقاط. قم بالمزامنة في مركز الحي.
scan-ok-poster-unknown = تم تسجيل حضورك عبر ملصق. يجب أن يوافق المنسق قبل أن تحصل على النقاط. قم بالمزامنة في مركز الحي.
