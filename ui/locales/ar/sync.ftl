# المزامنة في مركز الحي
sync-title = المزامنة
sync-help = في مركز الحي، يتبادل هاتفك مع جهاز المزامنة الموجود هناك كل ما هو جديد: تسجيلات الحضور والنقاط والأعضاء.
sync-hubs = أجهزة المزامنة
sync-no-hubs = لا يوجد جهاز مزامنة بعد. صوّر رمز جهاز المزامنة في مركز الحي، أو اكتب رمزه القصير.
sync-now = مزامنة الآن
sync-pair-label = رمز جهاز المزامنة
sync-pair-placeholder = مثلًا 192.168.1.20:47800 3f2a-9c1b-7e4d-5a60
sync-pair = إضافة جهاز مزامنة
sync-pair-picture = اقرأ رمز جهاز المزامنة من صورة
sync-paired = تم حفظ جهاز المزامنة. اضغط «مزامنة الآن».
sync-forget = إزالة
sync-forget-title = هل تريد إزالة جهاز المزامنة هذا؟
sync-forget-confirm = لن يقوم الهاتف بالمزامنة معه بعد الآن. يمكنك إضافته مرة أخرى برمزه.
sync-last = آخر مزامنة: { $time }
sync-never = لم تتم أي مزامنة بعد
sync-hub-title = هذا الجهاز كجهاز مزامنة
sync-hub-help = اسمح للهواتف الأخرى بالمزامنة مع هذا الجهاز، مثلًا عندما لا يكون جهاز المزامنة موجودًا.
sync-hub-help-coordinator = شغّل جهاز المزامنة في مركز الحي. تصوّر الهواتف الرمز مرة واحدة، ثم تتم المزامنة عندما يأتي أصحابها إلى المركز. تسجيلات الحضور تحصل على نقاطها تلقائيًا.
sync-hub-start = تشغيل جهاز المزامنة
sync-hub-stop = إيقاف جهاز المزامنة
sync-short-code = الرمز القصير (للكتابة):
sync-hub-connected = { $count ->
    [zero] لا يوجد جهاز متصل
    [one] جهاز واحد متصل
    [two] جهازان متصلان
    [few] { $count } أجهزة متصلة
    [many] { $count } جهازًا متصلًا
   *[other] { $count } جهاز متصل
}
sync-peers = الأجهزة
sync-no-peers = لم تتم أي مزامنة بعد.
sync-connecting = جارٍ الاتصال بـ { $peer }…
sync-syncing = جارٍ المزامنة مع { $peer }…
sync-done = تمت المزامنة مع { $peer }.
sync-failed = فشلت المزامنة مع { $peer }:
sync-finished = انتهت المزامنة.
sync-totals = سجلات جديدة: { $records }. مستندات وصلت: { $documents }. مستندات أُرسلت: { $sent } ({ $kb } كيلوبايت).
refusal-other-community = ينتمي إلى حي آخر
refusal-not-member = الجهاز ليس عضوًا (بعد)
refusal-revoked = أُلغيت العضوية
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
