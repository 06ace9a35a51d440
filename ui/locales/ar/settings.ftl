# الإعدادات والملف الشخصي
settings-title = الإعدادات
settings-you = أنت
settings-name-help = اسمك كما أكّده الموظفون. إذا كان يجب تغييره، اطلب ذلك من أحد الموظفين.
settings-save-name = حفظ الاسم
settings-name-saved = تم حفظ اسمك.
settings-role = الدور: { $role }
settings-language = اللغة
settings-community = الحي
settings-demo-help = الحي التجريبي هو فقط لتجربة Nabo. إذا خرجت منه، يمكنك إنشاء حيّك الحقيقي أو الانضمام إليه.
settings-leave = الخروج من الحي
settings-leave-title = هل تريد الخروج من الحي؟
settings-leave-confirm = سيُحذف كل ما يخص الحي من هذا الهاتف: نقاطك وسجلك وتسجيلات حضورك. ستحتاج إلى دعوة جديدة لتعود. ما وصل إلى مركز الحي عند المزامنة يبقى هناك.
settings-leave-confirm-coordinator = سيُحذف كل ما يخص الحي من هذا الجهاز، ودعواتك أيضًا. إذا كنت الموظف الوحيد، فلن يستطيع أحد غيرك إدارة الحي بعد ذلك. ما وصل إلى الأجهزة الأخرى عند المزامنة يبقى عندها.
settings-leave-demo = الخروج من التجربة
settings-leave-demo-title = هل تريد الخروج من التجربة؟
settings-leave-demo-confirm = سيُحذف الحي التجريبي من هذا الجهاز. بعد ذلك يمكنك إنشاء حيّك الحقيقي أو الانضمام إليه.
settings-device = هذا الجهاز
settings-device-help = رمز الجهاز. قد يطلبه منك أحد الموظفين ليجدك في القائمة.
settings-help = مساعدة
help-checkin-title = كيف تسجّل حضورك
help-checkin = في النشاط، يعرض الموظفون رمز QR. اضغط «تسجيل الحضور» والتقط صورة للرمز. الرمز يتغير كل نصف دقيقة، لذلك يجب أن يكون جديدًا.
help-points-title = كيف تحصل على النقاط
help-points = بعد تسجيل حضورك، تبقى النقاط قيد الانتظار. قم بالمزامنة في مركز الحي لتحصل عليها. تحصل على نقاط مرة واحدة فقط في اليوم لكل نشاط.
help-sync-title = المزامنة
help-sync = في مركز الحي يوجد كمبيوتر يستطيع هاتفك أن يتبادل معه البيانات عبر الشبكة المحلية. أضفه مرة واحدة في «المزامنة» برمزه أو بصورة لرمز QR الخاص به. ثم اضغط «مزامنة الآن».
help-privacy-title = بياناتك
help-privacy = بياناتك موجودة على هاتفك وفي مركز الحي. السكان الآخرون لا يستطيعون رؤية تسجيلات حضورك أو نقاطك.
settings-about = عن Nabo
settings-version = Nabo، الإصدار { $version }
settings-about-text = Nabo برنامج حر (AGPL-3.0). يعمل بدون إنترنت ويحفظ كل شيء على الجهاز.
settings-text-size = حجم النص
settings-text-size-n = { $percent ->
    [100] عادي (100٪)
   *[other] { $percent }٪
}
