# المزامنة في مركز الحي
sync-title = المزامنة
sync-help = تعال إلى مركز الحي: يتبادل هاتفك وحاسوب مركز الحي تسجيلات الحضور والنقاط والأعضاء.
sync-hubs = حاسوب مركز الحي
sync-no-hubs = لم تتم الإضافة بعد. صوّر الرمز على حاسوب مركز الحي، أو اكتبه.
sync-now = مزامنة الآن
sync-pair-label = رمز الحاسوب
sync-pair = إضافة
sync-pair-picture = اقرأ الرمز من صورة
sync-paired = تمت إضافة حاسوب مركز الحي. اضغط «مزامنة الآن».
sync-forget = إزالة
sync-forget-title = هل تريد إزالة جهاز المزامنة هذا؟
sync-forget-confirm = لن يقوم الهاتف بالمزامنة معه بعد الآن. يمكنك إضافته مرة أخرى برمزه.
sync-last = آخر مزامنة: { $time }
sync-never = لم تتم أي مزامنة بعد
sync-hub-title = مشاركة البيانات مع الهواتف
sync-hub-help-coordinator = شغّل المشاركة عندما تكون في مركز الحي. تصوّر الهواتف الرمز مرة واحدة، ثم تتم المزامنة عندما يأتي أصحابها. تحصل تسجيلات الحضور على نقاطها فورًا.
sync-hub-start = تشغيل المشاركة
sync-hub-stop = إيقاف المشاركة
sync-short-code = العنوان والرمز (للكتابة):
sync-hub-connected = { $count ->
    [zero] لا يوجد جهاز متصل
    [one] جهاز واحد متصل
    [two] جهازان متصلان
    [few] { $count } أجهزة متصلة
    [many] { $count } جهازًا متصلًا
   *[other] { $count } جهاز متصل
}
sync-peers = الهواتف التي قامت بالمزامنة
sync-no-peers = لم تتم أي مزامنة بعد.
sync-connecting = جارٍ الاتصال بـ { $peer }…
sync-syncing = جارٍ المزامنة مع { $peer }…
sync-done = تمت المزامنة مع { $peer }.
sync-failed = فشلت المزامنة مع { $peer }:
sync-finished = انتهت المزامنة.
refusal-other-community = ينتمي إلى حي آخر
refusal-not-member = الجهاز ليس عضوًا (بعد)
refusal-revoked = أُلغيت العضوية
refusal-retired = أُوقف استخدام الهاتف
refusal-unexpected-peer = ليس جهاز المزامنة الذي تمت إضافته
refusal-bad-identity = لم يمكن التأكد من هويته
error-hub-other-community = جهاز المزامنة هذا تابع لحي آخر.
error-hub-short-code = هذا ليس رمز جهاز مزامنة. اكتب العنوان، ثم مسافة، ثم الرمز، مثلًا 192.168.1.20:47800 3f2a-9c1b-7e4d-5a60.
error-no-hub = لا يوجد جهاز مزامنة بعد. أضف جهاز المزامنة الخاص بمركز الحي أولًا.
error-hub-failed = لم يستطع جهاز المزامنة أن يبدأ ({ $detail }).
error-sync-unreachable = جهاز المزامنة لم يرد. هل أنت متصل بشبكة مركز الحي؟
error-sync-refused-by-peer = الجهاز الآخر رفض: { $reason }.
error-sync-refused-peer = رفض Nabo الجهاز الآخر: { $reason }.
error-sync-peer-damaged = أرسل الجهاز الآخر بيانات تالفة. لم يُحفظ منها شيء.
error-sync-peer-other-community = أرسل الجهاز الآخر بيانات من حي آخر. لم يُحفظ منها شيء.
error-sync-timeout = توقف الجهاز الآخر عن الرد. حاول مرة أخرى.
error-sync-interrupted = انقطع الاتصال. ما وصل تم حفظه؛ قم بالمزامنة مرة أخرى.
refusal-unavailable = لم يستطع التحقق من العضوية الآن؛ حاول مرة أخرى بعد قليل
sync-help-coordinator = هنا يشارك هذا الحاسوب البيانات مع الهواتف في مركز الحي.
sync-hubs-coordinator = حواسيب أخرى يزامن معها هذا الجهاز
sync-pair-help = اكتب العنوان والرمز كما يظهران على حاسوب مركز الحي، مثلًا 192.168.1.20:47800 3f2a-9c1b-7e4d-5a60.
sync-paired-short = تمت الإضافة.
sync-device-of = حاسوب { $name }
sync-house-computer = حاسوب مركز الحي
sync-starting = جارٍ المزامنة…
sync-summary-confirmed = أصبحت الآن عضوًا مؤكَّدًا.
sync-summary-points = وصلتك نقاط: { $points }.
sync-summary-activities = أنشطة جديدة: { $count }.
sync-summary-sent = تم إرسال تسجيلات حضورك.
sync-summary-nothing = لا جديد. كل شيء محدَّث.
sync-peer-news = أشياء جديدة وصلت: { $count }
sync-peer-issued = تمت الموافقة: { $count }
sync-peers-resident = تمت المزامنة مع
sync-list-revoked = تم سحب الصلاحية
error-sync-revoked = سحب أحد الموظفين صلاحيتك، لذلك لا يستطيع هذا الهاتف المزامنة. تحدّث مع أحد في مركز الحي إذا كان هذا خطأ.
sync-list-retired = أُوقف استخدام الهاتف
error-sync-retired = أُوقف استخدام هذا الهاتف: نقل أحد الموظفين عضويتك إلى هاتف جديد أو بطاقة، وانتقلت معها نقاطك وسجلّك. تحدّث مع أحد في مركز الحي إذا كان هذا خطأ.
