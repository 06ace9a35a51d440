# النقاط
wallet-title = نقاطك
wallet-balance-label = مجموع النقاط
wallet-pending = { $amount } قيد الانتظار
wallet-history = السجل
wallet-empty = لا توجد نقاط بعد. سجّل حضورك في نشاط لتجمع نقاطًا.
line-pending = قيد الانتظار
line-pending-amount = { $amount } · قيد الانتظار
line-issued = { $amount }
line-capped = تم الوصول إلى الحد اليومي
line-unknown-activity = نشاط
fieldname-amount = عدد النقاط
line-awaiting-amount = { $amount } · بانتظار الموافقة
line-declined = مرفوض
line-declined-why = مرفوض: { $reason }
