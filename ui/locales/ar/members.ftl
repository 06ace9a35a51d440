# الأعضاء
members-title = الأعضاء
members-invite = دعوة عضو جديد
members-invite-help = الساكن الجديد يصوّر الرمز بتطبيق Nabo. الرمز يعمل لمدة 14 يومًا، أو حتى يُستخدم.
members-invite-role = الدور
role-resident = ساكن
role-volunteer = متطوع
role-coordinator = موظف
members-show-invite = عرض الدعوة
member-revoke = إلغاء الصلاحية
member-revoke-confirm = هل تريد إلغاء صلاحية { $name }؟ لن يستطيع هاتفه المزامنة بعد الآن، ولن يحصل على نقاط عند تسجيل حضور جديد. النقاط التي حصل عليها من قبل تبقى في السجل.
member-revoked = أُلغيت الصلاحية
member-reinstate = إعادة الصلاحية
member-pending = بانتظار التأكيد
member-balance = { $balance ->
    [one] نقطة واحدة
    [two] نقطتان
    [few] { $balance } نقاط
   *[other] { $balance } نقطة
}
members-empty = لا يوجد أعضاء بعد.
your-device = رمز جهازك: { $device }
members-open-review = عرض القائمة
members-invite-uses = كم شخصًا يمكنه استخدامها؟
members-invite-uses-n = { $count ->
    [one] شخص واحد
    [two] شخصان (أسرة)
    [few] { $count } أشخاص (أسرة)
    [many] { $count } شخصًا (أسرة)
   *[other] { $count } شخص (أسرة)
}
members-invite-uses-help = كل هاتف يستخدم الدعوة يُحسب. عندما يكتمل العدد، عليك أن توافق بنفسك على أي شخص آخر.
member-revoke-title = هل تريد إلغاء صلاحية { $name }؟
invites-open = الدعوات المفتوحة
invite-uses-left = استُخدمت { $used } من { $uses }
invite-until = صالحة حتى { $time }
invite-show = عرض
invite-withdraw = سحب
invite-withdraw-title = هل تريد سحب الدعوة؟
invite-withdraw-confirm = لن يمكن استخدام الدعوة ({ $role }) بعد الآن. من انضم بها من قبل يحتفظ بصلاحيته.
members-lone-coordinator = أنت الموظف الوحيد. ادعُ شخصًا آخر بدور موظف: إذا ضاع هاتف أو كمبيوتر، يستطيع الموظف الآخر إلغاء صلاحيته.
members-list = كل الأعضاء
members-search = ابحث بالاسم
sort-by-name = الاسم
sort-by-balance = الأكثر نقاطًا
invite-share-title = دعوة إلى Nabo
invite-withdrawn = تم سحب الدعوة.
member-revoked-toast = تم سحب الصلاحية.
member-history-title = نقاط { $name }
member-history-empty = لا تسجيلات حضور ولا نقاط بعد.
fieldname-uses = كم شخصًا يمكنه استخدامها
devices-title = الهواتف
devices-first = الهاتف الذي انضم به { $name }
devices-added = هاتف جديد، أضيف { $time }
devices-retired = محظور منذ { $time }
devices-in-use = قيد الاستخدام
devices-replace-help = هل حصل { $name } على هاتف جديد؟ أنشئ دعوة له. النقاط والسجل تنتقل معه.
devices-replace-retire = الهاتف القديم ضاع (مفقود أو مسروق): احظره
devices-replace = دعوة لهاتف جديد
devices-retire-title = هل تريد حظر هاتف { $name }؟
devices-retire-confirm = لن يُحتسب أي شيء يفعله الهاتف القديم من الآن، ولن يستطيع المزامنة. يحتفظ { $name } بنقاطه وسجله.
devices-retire-yes = احظر وأنشئ دعوة
devices-invite-help = يمسح { $name } الرمز بالهاتف الجديد ثم يزامن. بعدها تكون النقاط والسجل على الهاتف الجديد.
devices-replaced-toast = الدعوة للهاتف الجديد جاهزة.
devices-coordinator = يُغيَّر هاتف الموظف هكذا: يلغي موظف آخر الصلاحية القديمة ويدعو الهاتف الجديد كموظف.
role-partner = شريك
