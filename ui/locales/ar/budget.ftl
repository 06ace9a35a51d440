# ميزانية الحي: نتيجة ملف تصويت (صيغة pabulib).
settings-budget = ميزانية الحي
settings-budget-help = يقترح السكان كيف تُنفق ميزانية محلية ويصوّتون عليها. ويمكن للمنسّقين أيضًا فحص ملف تصويت من pabulib.org أو من أداة أخرى.
settings-budget-open = افتح ملف تصويت
budget-title = ميزانية الحي: نتيجة تصويت
budget-lead = افتح ملف تصويت (‏.pb من pabulib.org). يحسب نابو النتيجتين على هذا الحاسوب بدقة، ويشرح كل مقترح.
budget-open = افتح ملف تصويت
budget-working = جارٍ حساب النتيجة …
budget-summary = { $title }: { $budget } للتوزيع، { $voters ->
    [one] ورقة تصويت واحدة
   *[other] { $voters } ورقة تصويت
}، { $projects ->
    [one] مقترح واحد
   *[other] { $projects } مقترحًا
}.
budget-equal-shares = الحصص المتساوية
budget-equal-shares-help = تحصل كل ورقة تصويت على حصة متساوية من الميزانية. يُموَّل المقترح عندما يستطيع من صوّتوا له دفع كلفته معًا؛ وما يتبقى يذهب إلى المقترحات الأكثر أصواتًا التي ما زالت تتسع لها الميزانية.
budget-greedy = أكثر الأصوات
budget-greedy-help = المقترحات بحسب عدد الأصوات، ويُموَّل كل منها إن بقي مال كافٍ.
budget-total = المجموع { $total }
budget-all = كل المقترحات
budget-facts = الكلفة { $cost } · { $votes ->
    [one] صوت واحد
   *[other] { $votes } صوتًا
}
budget-funded = مموَّل
budget-not-funded = غير مموَّل
budget-paid = { $supporters ->
    [one] دفع شخص واحد ممن صوّتوا له
   *[other] دفع { $supporters } ممن صوّتوا له
} { $payment } لكل منهم من حصته.
budget-paid-all-left = { $count ->
    [one] دفع شخص واحد كل ما تبقى لديه.
   *[other] دفع { $count } أشخاص كل ما تبقى لديهم.
}
budget-completion = مُوِّل مما تبقى من الميزانية في النهاية.
budget-short = لم يبقَ لمن صوّتوا له سوى { $left } من حصصهم، وكلفته { $cost }: فقد أنفقوا حصصهم على مقترحات أخرى.
budget-no-support = لم يصوّت له أحد، فلم تستطع أي حصة دفع كلفته.
budget-greedy-short = بحسب أكثر الأصوات، لم يبقَ سوى { $left } عندما جاء دوره، وكلفته { $cost }.
budget-tie = تعادلت بعض المقترحات (الكلفة نفسها وعدد الأصوات نفسه) ولم تُجرَ قرعة: { $ties }. أخذ نابو في كل مرة الأول بحسب الرقم. أجرِ قرعة قبل نشر النتيجة.
error-budget-file = لا يمكن قراءة الملف كملف تصويت: { $problem }
error-budget-file-line = لا يمكن قراءة الملف كملف تصويت. السطر { $line }: { $problem }
error-budget-ballots = في الملف أوراق تصويت من نوع "{ $kind }". لا يعدّ نابو إلا الأوراق التي يؤشّر فيها الناخب على المقترحات التي يؤيدها.
budget-problem-unreadable = ليس نصًا مفصولًا بفواصل منقوطة (تحقق من علامات الاقتباس ومجموعة الأحرف).
budget-problem-outside-section = يأتي سطر قبل أقسام META وPROJECTS وVOTES.
budget-problem-missing-column = العمود "{ $column }" غير موجود.
budget-problem-missing-section = القسم { $section } غير موجود.
budget-problem-missing-meta = لا يحتوي META على "{ $key }".
budget-problem-not-a-number = "{ $value }" ليس رقمًا.
budget-problem-no-id = لا يحتوي السطر على { $column }.
budget-problem-duplicate-project = المقترح { $id } مذكور مرتين.
budget-problem-duplicate-voter = ورقة التصويت { $id } مذكورة مرتين.
budget-problem-unknown-project = تذكر ورقة التصويت المقترح { $id }، وهو غير موجود في PROJECTS.
budget-problem-unknown-vote-type = أوراق التصويت من نوع "{ $kind }" غير معروفة.
budget-problem-too-many-fields = في السطر حقول أكثر من أعمدة قسمه.
budget-problem-points-mismatch = عدد النقاط لا يطابق عدد المقترحات.
budget-chart-votes = الأصوات
budget-chart-label = أصوات كل مقترح كعمود؛ يبيّن لونه أي قاعدة تموّله. كل المقترحات مذكورة أيضًا أدناه.
budget-chart-both = تموّله القاعدتان
budget-chart-equal = تموّله الحصص المتساوية فقط
budget-chart-greedy = تموّله أكثر الأصوات فقط
budget-chart-neither = غير مموّل
