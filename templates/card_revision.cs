<?cs # card_revision.cs: the member's card at one revision, and what changed against another ?>
<?cs set:Page.Nav = "card" ?><?cs set:Page.Title = Lang.Card.Diff.Title + " " + At.N ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<div class="page-head"><h1><?cs var:Lang.Card.Diff.Title ?> <?cs var:At.N ?><?cs if:At.N == Card.Revision ?> <span class="hint">(<?cs var:Lang.Card.Diff.Current ?>)</span><?cs /if ?></h1></div>
<?cs call:card_nav("history") ?>
<section class="panel">
<p class="hint"><?cs call:when(At.When) ?></p>
<form method="get" action="/card/history/<?cs var:At.N ?>" class="card-compare">
<label for="compare"><?cs var:Lang.Card.Diff.CompareWith ?></label>
<select id="compare" name="compare"><?cs each:m = Compare.Choices ?><?cs if:m != At.N ?><option value="<?cs var:m ?>"<?cs if:m == Compare.N ?> selected<?cs /if ?>><?cs var:m ?></option><?cs /if ?><?cs /each ?></select>
<button type="submit"><?cs var:Lang.Card.Diff.Compare ?></button>
</form>
<?cs if:Compare.Has ?>
<h2><?cs var:Lang.Card.Diff.Changes ?> <?cs var:Compare.N ?></h2>
<?cs if:Compare.Any == "1" ?>
<table class="card-diff">
<thead><tr><th scope="col"><?cs var:Lang.Card.Diff.Field ?></th><th scope="col"><?cs var:Lang.Card.Diff.Before ?> (<?cs var:Compare.N ?>)</th><th scope="col"><?cs var:Lang.Card.Diff.After ?> (<?cs var:At.N ?>)</th></tr></thead>
<tbody>
<?cs each:ch = Changes ?><tr data-field="<?cs var:ch.Field ?>">
<th scope="row"><?cs var:Lang.Card.Fields[ch.Field] ?></th>
<?cs if:ch.Image ?>
<td><?cs if:ch.OldImage ?><img src="/api/v1/card/revisions/<?cs var:Compare.N ?>/images/<?cs var:ch.Image ?>?thumb=1&amp;v=<?cs var:ch.OldImage ?>" alt="<?cs var:Lang.Card.Diff.Before ?>" class="card-thumb"><?cs else ?><span class="hint"><?cs var:Lang.Card.Empty ?></span><?cs /if ?></td>
<td><?cs if:ch.NewImage ?><img src="/api/v1/card/revisions/<?cs var:At.N ?>/images/<?cs var:ch.Image ?>?thumb=1&amp;v=<?cs var:ch.NewImage ?>" alt="<?cs var:Lang.Card.Diff.After ?>" class="card-thumb"><?cs else ?><span class="hint"><?cs var:Lang.Card.Empty ?></span><?cs /if ?></td>
<?cs else ?>
<td class="diff-old"><?cs call:diff_lines(ch.Old) ?></td>
<td class="diff-new"><?cs call:diff_lines(ch.New) ?></td>
<?cs /if ?>
</tr><?cs /each ?>
</tbody>
</table>
<?cs else ?><p><?cs var:Lang.Card.Diff.NoChanges ?></p><?cs /if ?>
<?cs /if ?>
</section>
<section class="panel">
<h2><?cs var:Lang.Card.Diff.CardAt ?></h2>
<div class="card-view">
<?cs if:At.Front ?><p class="card-image"><img src="/api/v1/card/revisions/<?cs var:At.N ?>/images/front?thumb=1&amp;v=<?cs var:At.Front ?>" alt="<?cs var:Lang.Card.Public.FrontAlt ?>"></p><?cs /if ?>
<?cs call:card_show(At) ?>
</div>
<p><a href="/card/history"><?cs var:Lang.Card.Diff.Back ?></a></p>
</section>
<?cs include:"footer.cs" ?>
