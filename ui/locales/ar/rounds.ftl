# ميزانية الحي: الجولات والمقترحات والمراجعة وأوراق التصويت والفرز.
settings-budget-rounds = افتح ميزانية الحي
rounds-title = ميزانية الحي
rounds-lead = يقترح السكان كيف تُنفق ميزانية محلية، ويقررون ذلك معًا بالتصويت. لكل جولة مراحلها: الأفكار، المراجعة، التصويت، النتيجة.
rounds-empty = لا توجد جولة بعد. يفتح المنسّق جولة بمبلغها وتواريخها.
rounds-new = افتح جولة ميزانية
round-facts = { $amount } · { $phase } · { $proposals ->
    [one] مقترح واحد
   *[other] { $proposals } مقترحات
}
round-kroner = { $amount } كرونة
round-phase-not-yet = لم تبدأ
round-phase-ideas = الأفكار
round-phase-review = المراجعة
round-phase-voting = التصويت
round-phase-counting = بانتظار الفرز
round-phase-result = النتيجة
round-field-title = اسم الجولة
round-field-amount = المبلغ المراد توزيعه (بالكرونة)
round-field-area = المنطقة المشمولة
round-field-ideas = الأفكار من
round-field-review = المراجعة من
round-field-voting = التصويت من
round-field-result = النتيجة في
round-field-min = اختر على الأقل (مقترحات)
round-min-help = اتركه فارغًا إن لم يكن هناك حد أدنى.
round-field-max = اختر على الأكثر (مقترحات)
round-max-help = اتركه فارغًا إن لم يكن هناك حد أقصى.
round-field-limit = أقصى كلفة للمقترحات المختارة معًا (بالكرونة)
round-limit-help = اتركه فارغًا إن لم يكن هناك حد.
round-field-rule = أي نتيجة تُنشر
round-rule-help = تُحسب النتيجتان دائمًا وتُعرضان جنبًا إلى جنب.
round-open = افتح الجولة
round-change = عدّل الجولة
round-save-changes = احفظ التغييرات
round-changed = عُدّلت الجولة
round-opened = الجولة مفتوحة
round-summary = { $amount } للتوزيع في { $area }. الآن: { $phase }.
round-start-ideas = ابدأ جمع الأفكار الآن
round-start-review = ابدأ المراجعة الآن
round-start-voting = افتح التصويت الآن
round-start-ask-note = تنتقل الجولة إلى «{ $phase }» اليوم. يرى الأعضاء ذلك بعد المزامنة التالية.
round-proposals = المقترحات
round-no-proposals = لا توجد مقترحات بعد.
round-result = النتيجة
round-ballots-held = لدى هذا الجهاز { $ballots ->
    [one] ورقة تصويت واحدة
   *[other] { $ballots } أوراق تصويت
} ({ $paper } ورقية). زامن مع كل الهواتف قبل الفرز: أوراق التصويت التي تصل بعد الفرز لا تُحتسب.
round-close = أغلق التصويت وافرز
round-close-ask = إغلاق التصويت والفرز؟
round-close-ask-note = { $ballots ->
    [one] تُفرز ورقة تصويت واحدة
   *[other] تُفرز { $ballots } أوراق تصويت
} الآن. بعد ذلك لا يمكن لأحد أن يصوّت أو يغيّر ورقته في هذه الجولة.
round-export = احفظ كملف تصويت (.pb)
round-exported = حُفظ: { $path }. تقرؤه أدوات مثل pabutools وequalshares.net.
round-closed = تم الفرز. النتيجة أدناه.
proposal-new = اقترح فكرة
proposal-new-help = قل ما هي، ولماذا تفيد، وكم تكلّف تقريبًا. يراجع المنسّق كل فكرة قبل التصويت.
proposal-field-title = العنوان
proposal-field-description = ماذا ولماذا
proposal-field-cost = الكلفة (بالكرونة)
proposal-field-category = الفئة (مثل المساحات الخارجية، الثقافة)
proposal-field-recipient = من يستلم المال
proposal-recipient-help = تستلم المال جمعية أو منظمة الإسكان، فلا تحتاج إلى رقم شركة.
proposal-save = أرسل المقترح
proposal-saved = حُفظ مقترحك
proposal-to = إلى { $recipient }
proposal-by = اقترحه { $proposer }
proposal-feasible = على ورقة التصويت (راجعه { $who }).
proposal-not-feasible = ليس على ورقة التصويت: { $reason } ({ $who })
proposal-cost-changed = تغيّرت الكلفة من { $proposed } إلى { $cost }: { $reason }
proposal-review-outdated = تغيّر المقترح بعد المراجعة؛ تعرض ورقة التصويت النسخة التي رُوجعت.
proposal-withdraw = اسحب المقترح
proposal-withdraw-ask = هل تسحب مقترحك؟
proposal-withdraw-ask-note = يُزال من القائمة عند الجميع بعد المزامنة التالية.
proposal-withdrawn = سُحب المقترح
proposal-review = راجع هذا المقترح
proposal-field-reason = السبب (يراه صاحب المقترح؛ مطلوب إن لم يوضع على الورقة أو تغيّرت الكلفة)
proposal-field-new-cost = الكلفة الجديدة إن تغيّرت (بالكرونة)
proposal-put-on-ballot = ضعه على ورقة التصويت
proposal-not-on-ballot = ليس على ورقة التصويت
proposal-reviewed = حُفظت المراجعة
ballot-title = ورقة تصويتك
ballot-help = اختر كل مقترح تدعمه. يمكنك تغيير ورقتك حتى يُغلق التصويت.
ballot-voted = لقد صوّتّ. يمكنك تغيير ورقتك حتى يُغلق التصويت؛ آخر ورقة فقط تُحتسب.
ballot-rule-min = اختر { $count } على الأقل.
ballot-rule-max = اختر { $count } على الأكثر.
ballot-rule-limit = يجب ألا تتجاوز كلفتها معًا { $limit }.
ballot-running = { $count ->
    [one] اختيار واحد
   *[other] { $count } اختيارات
}: { $total } من ميزانية { $budget }
ballot-over-budget = هذا أكثر من الميزانية، ولا بأس بذلك: اختر كل ما تدعمه، والفرز يقرر ما يتسع له.
ballot-sign = صوّت
ballot-change = غيّر ورقتي
ballot-cast = حُفظت ورقة تصويتك
error-ballot-not-ideas = تُقبل الأفكار فقط أثناء مرحلة جمع الأفكار.
error-ballot-not-voting = التصويت غير مفتوح في هذه الجولة.
error-ballot-counted = فُرزت هذه الجولة. لا شيء يغيّرها بعد الآن.
error-ballot-not-counted = لم تُفرز هذه الجولة بعد.
error-ballot-not-on-ballot = أحد المقترحات المختارة ليس على ورقة التصويت.
error-ballot-empty = لا يوجد مقترح على ورقة التصويت بعد.
error-ballot-too-few = اختر { $count } مقترحات على الأقل.
error-ballot-too-many = اختر { $count } مقترحات على الأكثر.
error-ballot-over-limit = كلفة المقترحات المختارة معًا أكثر من { $limit }.
fieldname-area = المنطقة
fieldname-ideas = الأفكار من
fieldname-review = المراجعة من
fieldname-voting = التصويت من
fieldname-result = النتيجة في
fieldname-min = على الأقل
fieldname-max = على الأكثر
fieldname-cost_limit = حد الكلفة
fieldname-cost = الكلفة
fieldname-category = الفئة
fieldname-recipient = مستلم المال
paper-title = أدخل ورقة تصويت ورقية
paper-help = لمن يصوّت على الورق: امسح بطاقة العضوية أو الرمز لمرة واحدة المطبوع على ورقة التصويت، أو اكتب الرمز، أو اختر العضو. ورقة العضو تُحسب بدل أي صوت من هاتفه.
paper-card-picture = اقرأ بطاقة العضوية أو رمز الورقة من صورة
paper-voter = رمز بطاقة العضوية أو رمز الورقة لمرة واحدة
paper-member = أو اختر العضو
paper-member-none = اختر …
paper-enter = أدخل ورقة التصويت
paper-entered = أُدخلت ورقة تصويت { $name }
ballot-voted-paper = أدخل منسّق ورقة تصويتك الورقية؛ وهي التي تُحتسب.
open-round-voting = التصويت مفتوح في ميزانية الحي { $title } حتى { $until }.
open-round-vote = صوّت
open-round-ideas = تجمع ميزانية الحي { $title } الأفكار حتى { $until }.
open-round-propose = اطّلع على الأفكار واقترح
paper-entered-code = أُدخلت ورقة التصويت ذات الرمز { $code }
paper-code-used-ask = هذا الرمز أُدخل من قبل
paper-code-used-ask-note = أُدخلت من قبل ورقة تصويت بهذا الرمز. إذا كنت تصحّح خطأ فاستبدلها؛ وإذا كانت ورقة ثانية بالرمز نفسه فلا تفعل.
paper-code-replace = استبدل تلك الورقة
error-ballot-unknown-code = لم تُطبع ورقة تصويت في هذه الجولة بهذا الرمز. تحقّق من الحروف.
error-ballot-code-used = أُدخلت من قبل ورقة تصويت بهذا الرمز.
census-title = اطبع أوراق تصويت لغير الأعضاء
census-help = لكل ورقة تصويت رمز خاص لمرة واحدة، فتُحسب مرة واحدة. أدخل الورقة المعبأة بمسح رمزها أو كتابته.
census-count = عدد أوراق التصويت
census-print = اطبع أوراق التصويت
census-printed = { $count ->
    [one] حُفظت ورقة تصويت واحدة: { $path }
   *[other] حُفظت { $count } أوراق تصويت: { $path }
}
census-codes = الرموز المطبوعة
census-heading = ورقة تصويت
census-how = ضع علامة بجانب كل مقترح تدعمه. { $rule }
census-rule-none = يمكنك دعم ما تشاء من المقترحات.
census-rule-max = { $max ->
    [one] مقترح واحد على الأكثر
   *[other] { $max } مقترحات على الأكثر
}.
census-code = رمز لمرة واحدة
census-hand-in = سلّم ورقة التصويت إلى منسّق في بيت الحي. كل رمز يُحسب مرة واحدة.
fieldname-count = عدد أوراق التصويت
round-field-knapsack = ورقة تصويت الحقيبة: يجب أن يتسع المختار ضمن الميزانية
round-knapsack-help = يضع كل مصوّت ميزانيته الخاصة: لا تتجاوز كلفة المقترحات المختارة معًا المبلغ المراد توزيعه.
proposal-photo-add = أضف صورة
proposal-photo-change = غيّر الصورة
proposal-photo-remove = احذف الصورة
proposal-photo-saved = أُضيفت الصورة
proposal-photo-removed = حُذفت الصورة
proposal-photo-remove-ask = أتحذف الصورة؟
proposal-photo-remove-ask-note = يبقى المقترح؛ تُحذف صورته فقط. يمكنك إضافة غيرها أثناء جمع الأفكار.
proposal-photo-alt = صورة للمقترح { $title }

# أوصاف تُكتب معًا
together-helpers = كُتب بالاشتراك مع { $names }
together-write = تعديل الوصف
together-field-text = ماذا ولماذا
together-help = قد يعدّل من يكتبون معك في الوقت نفسه: يبقى ما كتبوه ويُضاف ما تكتبه إليه.
together-save = حفظ الوصف
together-saved = حُفظ الوصف
together-choose = اختر من يكتب معك
together-field-helpers = المساعدون
together-helpers-help = يستطيع المساعدون تعديل الوصف من هواتفهم. اختر حتى { $count }.
together-no-members = لا يوجد بعد أعضاء آخرون لاختيارهم.
together-helpers-save = حفظ المساعدين
together-helpers-saved = حُفظ المساعدون
fieldname-helpers = المساعدون
error-ballot-not-helper = لا يعدّل هذا الوصف إلا صاحب الاقتراح والمساعدون الذين اختارهم.
error-ballot-text-changed = تغيّر الوصف في الأثناء بطريقة لا يمكن دمجها مع تعديلك. انسخ نصّك وأغلق المحرّر وابدأ من جديد من النص كما هو الآن.
