# Neighbourhood budget rounds: proposals, review, ballots and the count.
settings-budget-rounds = Open the neighbourhood budget
rounds-title = Neighbourhood budget
rounds-lead = Residents propose how a local budget is spent, and decide together by voting. Each round has its phases: ideas, review, voting and the result.
rounds-empty = No budget round yet. A coordinator opens one with its amount and dates.
rounds-new = Open a budget round
round-facts = { $amount } · { $phase } · { $proposals ->
    [one] 1 proposal
   *[other] { $proposals } proposals
}
round-kroner = { $amount } kr.
round-phase-not-yet = Not started
round-phase-ideas = Ideas
round-phase-review = Review
round-phase-voting = Voting
round-phase-counting = Waiting for the count
round-phase-result = Result
round-field-title = Name of the round
round-field-amount = Amount to share (kroner)
round-field-area = Area it covers
round-field-ideas = Ideas from
round-field-review = Review from
round-field-voting = Voting from
round-field-result = Result on
round-field-min = Tick at least (proposals)
round-min-help = Leave empty for no minimum.
round-field-max = Tick at most (proposals)
round-max-help = Leave empty for no maximum.
round-field-limit = The ticked proposals may cost at most (kroner)
round-limit-help = Leave empty for no limit.
round-field-rule = Which result is published
round-rule-help = Both results are always worked out and shown side by side.
round-open = Open the round
round-change = Change the round
round-save-changes = Save the changes
round-changed = The round is changed
round-opened = The round is open
round-summary = { $amount } to share in { $area }. Now: { $phase }.
round-start-ideas = Start collecting ideas now
round-start-review = Start the review now
round-start-voting = Open voting now
round-start-ask-note = The round moves to "{ $phase }" today. Members see it after the next sync.
round-proposals = Proposals
round-no-proposals = No proposals yet.
round-result = The result
round-ballots-held = This device has { $ballots ->
    [one] 1 ballot
   *[other] { $ballots } ballots
} ({ $paper } on paper). Sync with every phone before counting: ballots that arrive after the count do not count.
round-close = Close voting and count
round-close-ask = Close voting and count?
round-close-ask-note = { $ballots ->
    [one] 1 ballot is
   *[other] { $ballots } ballots are
} counted now. After this, nobody can vote or change their ballot in this round.
round-export = Save as a ballot file (.pb)
round-exported = Saved: { $path }. Tools such as pabutools and equalshares.net read it.
round-closed = Counted. The result is below.
proposal-new = Propose an idea
proposal-new-help = Say what it is, why it helps, and roughly what it costs. A coordinator checks every idea before the vote.
proposal-field-title = Title
proposal-field-description = What and why
proposal-field-cost = What it costs (kroner)
proposal-field-category = Category (for example outdoor area, culture)
proposal-field-recipient = Who receives the money
proposal-recipient-help = An association or the housing organisation receives the money, so you need no company number.
proposal-save = Send the proposal
proposal-saved = Your proposal is saved
proposal-to = to { $recipient }
proposal-by = proposed by { $proposer }
proposal-feasible = On the ballot ({ $who } checked it).
proposal-not-feasible = Not on the ballot: { $reason } ({ $who })
proposal-cost-changed = The cost was changed from { $proposed } to { $cost }: { $reason }
proposal-review-outdated = The proposal was changed after the review; the ballot shows the version that was checked.
proposal-withdraw = Withdraw the proposal
proposal-withdraw-ask = Withdraw your proposal?
proposal-withdraw-ask-note = It is taken off the list for everyone after the next sync.
proposal-withdrawn = The proposal is withdrawn
proposal-review = Review this proposal
proposal-field-reason = Reason (the proposer sees it; required when it is not on the ballot or the cost changes)
proposal-field-new-cost = New cost, if it changes (kroner)
proposal-put-on-ballot = Put it on the ballot
proposal-not-on-ballot = Not on the ballot
proposal-reviewed = The review is saved
ballot-title = Your ballot
ballot-help = Tick every proposal you support. You can change your ballot until voting closes.
ballot-voted = You have voted. You can change your ballot until voting closes; only your latest ballot counts.
ballot-rule-min = Tick at least { $count }.
ballot-rule-max = Tick at most { $count }.
ballot-rule-limit = Together they may cost at most { $limit }.
ballot-running = { $count ->
    [one] 1 ticked
   *[other] { $count } ticked
}: { $total } of the { $budget } budget
ballot-over-budget = That is more than the budget, which is fine: tick everything you support, and the count decides what fits.
ballot-sign = Vote
ballot-change = Change my ballot
ballot-cast = Your ballot is saved
error-ballot-not-ideas = Ideas are taken only while the round collects ideas.
error-ballot-not-voting = Voting is not open in this round.
error-ballot-counted = This round is counted. Nothing can change it any more.
error-ballot-not-counted = This round is not counted yet.
error-ballot-not-on-ballot = One of the ticked proposals is not on the ballot.
error-ballot-empty = No proposal is on the ballot yet.
error-ballot-too-few = Tick at least { $count } proposals.
error-ballot-too-many = Tick at most { $count } proposals.
error-ballot-over-limit = The ticked proposals cost more than { $limit } together.
fieldname-area = Area
fieldname-ideas = Ideas from
fieldname-review = Review from
fieldname-voting = Voting from
fieldname-result = Result on
fieldname-min = Tick at least
fieldname-max = Tick at most
fieldname-cost_limit = Cost limit
fieldname-cost = Cost
fieldname-category = Category
fieldname-recipient = Who receives the money
paper-title = Enter a paper ballot
paper-help = For someone who votes on paper: scan their member card or the one-time code printed on the paper ballot, type the code, or choose the member. A member's paper ballot counts instead of any vote from their phone.
paper-card-picture = Read the member card or the paper's code from a picture
paper-voter = Member card code or the paper's one-time code
paper-member = Or choose the member
paper-member-none = Choose …
paper-enter = Enter the paper ballot
paper-entered = The paper ballot of { $name } is entered
ballot-voted-paper = A coordinator entered your paper ballot; it is the one that counts.
open-round-voting = Voting is open in the neighbourhood budget { $title }, until { $until }.
open-round-vote = Vote
open-round-ideas = The neighbourhood budget { $title } is collecting ideas until { $until }.
open-round-propose = See and propose ideas
paper-entered-code = The paper ballot with code { $code } is entered
paper-code-used-ask = This code was already entered
paper-code-used-ask-note = A paper ballot with this one-time code is already entered. If you are correcting a mistake, replace it; if this is a second paper with the same code, do not.
paper-code-replace = Replace that ballot
error-ballot-unknown-code = No paper ballot of this round was printed with that code. Check the letters.
error-ballot-code-used = A paper ballot with that code is already entered.
census-title = Print paper ballots for voters who are not members
census-help = Each paper ballot gets its own one-time code, so each counts once. Enter a filled-in paper ballot by scanning or typing its code.
census-count = How many paper ballots
census-print = Print paper ballots
census-printed = { $count ->
    [one] 1 paper ballot is saved: { $path }
   *[other] { $count } paper ballots are saved: { $path }
}
census-codes = The codes printed
census-heading = Paper ballot
census-how = Put a cross by each proposal you support. { $rule }
census-rule-none = You may support as many as you like.
census-rule-max = At most { $max ->
    [one] 1 proposal
   *[other] { $max } proposals
}.
census-code = One-time code
census-hand-in = Hand the paper ballot to a coordinator at the community house. Each code counts once.
fieldname-count = How many paper ballots
round-field-knapsack = Knapsack ballot: what is ticked must fit within the budget
round-knapsack-help = Each voter puts together a budget of their own: the proposals they tick may cost at most the amount to share together.
proposal-photo-add = Add a photo
proposal-photo-change = Change the photo
proposal-photo-remove = Remove the photo
proposal-photo-saved = The photo is added
proposal-photo-removed = The photo is removed
proposal-photo-remove-ask = Remove the photo?
proposal-photo-remove-ask-note = The proposal stays; only its photo goes. You can add another one while ideas are collected.
proposal-photo-alt = Photo for the proposal { $title }

# Descriptions written together
together-helpers = Written together with { $names }
together-write = Edit the description
together-field-text = What and why
together-help = Others who write with you may be editing at the same time: what they wrote is kept, and yours is added to it.
together-save = Save the description
together-saved = The description is saved
together-choose = Choose who writes with you
together-field-helpers = Helpers
together-helpers-help = Helpers can edit the description from their own phones. Choose up to { $count }.
together-no-members = There are no other members to choose yet.
together-helpers-save = Save the helpers
together-helpers-saved = The helpers are saved
fieldname-helpers = Helpers
error-ballot-not-helper = Only the person who proposed it, and the helpers they chose, can edit this description.
error-ballot-text-changed = The description was changed in the meantime in a way that cannot be combined with your edit. Copy your text, close the editor and start again from the text as it is now.
