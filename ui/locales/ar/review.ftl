# للمراجعة: ما يجب أن ينظر فيه الموظف
review-title = للمراجعة
review-help = هنا ما لم يقبله Nabo من الهواتف. هذا لا يُحسب. تحدّث مع الشخص الذي جاء منه.
review-empty = لا يوجد شيء للمراجعة. كل ما وصل تم قبوله.
review-count = { $count ->
    [zero] لا يوجد شيء للمراجعة
    [one] أمر واحد للمراجعة
    [two] أمران للمراجعة
    [few] { $count } أمور للمراجعة
    [many] { $count } أمرًا للمراجعة
   *[other] { $count } أمر للمراجعة
}
review-from = جاء من: { $device }
review-signed-by = موقَّع من: { $who }
review-unknown-device = جهاز غير معروف ({ $device })
review-where = المكان في البيانات
record-kind-genesis = إنشاء الحي
record-kind-membership = عضوية
record-kind-revocation = صلاحية أُلغيت
record-kind-reinstatement = صلاحية أُعيدت
record-kind-join-request = طلب انضمام
record-kind-invite-withdrawal = دعوة تم سحبها
record-kind-activity = نشاط
record-kind-check-in = تسجيل حضور
record-kind-ledger-entry = حركة نقاط
record-kind-unknown = بيانات غير معروفة
review-reason-unknown-key = Nabo لا يكتب شيئًا كهذا هنا.
review-reason-not-signed = غير موقَّع.
review-reason-unreadable = لا يمكن قراءته.
review-reason-bad-signature = التوقيع غير مطابق: إنه مزوّر أو تم تغييره.
review-reason-misplaced = لا يتطابق مع المكان المحفوظ فيه.
review-reason-not-self-certifying = مفتاح الحي غير مطابق.
review-reason-invalid-field = خانة «{ $field }» غير صحيحة.
review-reason-not-entitled-coordinator = هذا يصنعه الموظفون فقط، لكن شخصًا آخر وقّعه.
review-reason-not-entitled-founder = هذا يصنعه فقط من أنشأ الحي.
review-reason-not-entitled-subject = هذا يصنعه العضو نفسه فقط.
review-reason-bad-invite = الدعوة ليست من موظف هنا، أو هي مزوّرة. لا أحد يستطيع تأكيد الطلب.
review-reason-erased = شخص ما حذفه. السجلات الموقَّعة تبقى: ما زال يُحسب.
review-reason-put-back = شخص ما أعاد نسخة أقدم. هذا لا يغيّر شيئًا: النسخة الأحدث هي التي تُحسب.
review-reason-awaiting-coordinator = يطلب أن يصبح موظفًا. لا يصبح أحد موظفًا إلا بعد موافقة موظف.
review-reason-awaiting-expired = كانت مدة الدعوة قد انتهت عندما وصل الطلب. وافق عليه إذا كنت تعرف الشخص.
review-reason-awaiting-used-up = الدعوة استخدمها من قبل كل العدد المسموح به. وافق إذا كان الشخص من نفس الأسرة.
review-reason-awaiting-withdrawn = تم سحب الدعوة. وافق فقط إذا كنت تعرف الشخص.
review-reason-awaiting-old-invite = الدعوة من نسخة أقدم من Nabo. وافق إذا كنت تعرف الشخص.
review-approve = موافقة
review-reason-late-checkin = تسجيل حضور في «{ $activity }» بتاريخ { $time } — قبل آخر مزامنة للهاتف هنا، أو بعد الوقت الحالي. هل ساعة الهاتف غير مضبوطة؟ لا يحصل على نقاط إلا إذا وافقت عليه.
review-reason-poster-checkin = تسجيل حضور في «{ $activity }» بتاريخ { $time } عبر ملصق النشاط. يمكن تصوير الملصق واستخدامه في أي مكان، لذلك لا يحصل على نقاط إلا إذا وافقت عليه.
review-decline = رفض
review-decline-label = لماذا ترفض؟
review-decline-help = سيرى العضو السبب.
review-decline-submit = رفض
review-declined = تم الرفض.
review-group = «{ $activity }»، { $day }: { $count } تسجيلات حضور بانتظار الموافقة.
review-approve-all = الموافقة على الكل ({ $count })
review-approved-many = تمت الموافقة على { $count }.
fieldname-reason = السبب
record-kind-movement = تصحيح نقاط
record-kind-hour-claim = ساعات تطوع
record-kind-hour-decision = قرار بشأن ساعات تطوع
review-reason-hours = ساعات تطوع: { $work }، { $date }، { $duration }. تعطي { $amount } نقطة إذا وافقت.
review-hours-note = { $text } ملاحظة: { $note }
review-group-hours = «{ $activity }»، { $day }: { $count } تسجيلات ساعات بانتظار الموافقة.
record-kind-rules = تغيير في قواعد النقاط
record-kind-budget-round = جولة من ميزانية الحي
record-kind-proposal = مقترح لميزانية الحي
record-kind-proposal-review = مراجعة منسّق لمقترح
record-kind-ballot = ورقة تصويت في جولة الميزانية
record-kind-tally = فرز جولة من الميزانية
review-decline-all = رفض الكل ({ $count })
record-kind-device-link = هاتف جديد لعضو
record-kind-device-retirement = هاتف محظور
record-kind-replacement = دعوة لهاتف جديد
record-kind-card = بطاقة عضوية
record-kind-payment = دفعة
record-kind-offer = عرض
record-kind-return = إعادة نقاط
review-reason-overspend = دفع { $amount } نقطة إلى { $payee } مقابل { $what } ({ $time })، فصار الرصيد تحت الصفر: { $balance }. استُخدمت النقاط نفسها في مكانين (هاتفان مثلاً). تحدّث مع العضو.
review-accept-debt = اقبلها كدَين
review-reverse = أعد النقاط
review-reverse-title = هل تُلغى الدفعة؟
review-reverse-confirm = تعود { $amount } نقطة من { $payee } إلى من دفع مقابل { $what }. يرى كلاهما ذلك في سجله.
review-reverse-note = أُلغيت الدفعة مقابل { $what }: لم يكفِ الرصيد.
review-reversed = أُلغيت الدفعة.
record-kind-overspend-accepted = دَين مقبول
record-kind-balance-statement = كشف رصيد
record-kind-payment-closed = طلب دفع مغلق
record-kind-payment-refused = دفعة مرفوضة
