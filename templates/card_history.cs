<?cs # card_history.cs: every revision of the member's card, newest first ?>
<?cs set:Page.Nav = "card" ?><?cs set:Page.Title = Lang.Card.History.Title ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?>
<div class="page-head"><h1><?cs var:Lang.Card.History.Title ?></h1></div>
<?cs call:card_nav("history") ?>
<section class="panel">
<p class="hint"><?cs var:Lang.Card.History.Intro ?></p>
<table class="card-history">
<thead><tr><th scope="col"><?cs var:Lang.Card.Revision ?></th><th scope="col"><?cs var:Lang.Card.History.When ?></th><th scope="col"><?cs var:Lang.Card.History.Changed ?></th></tr></thead>
<tbody>
<?cs each:rev = Revisions ?><tr>
<td><a href="/card/history/<?cs var:rev.N ?>"><?cs var:rev.N ?></a><?cs if:rev.N == Card.Revision ?> <span class="hint">(<?cs var:Lang.Card.Diff.Current ?>)</span><?cs /if ?></td>
<td><?cs call:when(rev.At) ?></td>
<td><?cs if:rev.N == 0 ?><?cs var:Lang.Card.History.Created ?><?cs else ?><?cs each:f = rev.Changed ?><?cs if:name(f) != "0" ?>, <?cs /if ?><?cs var:Lang.Card.Fields[f] ?><?cs /each ?><?cs /if ?></td>
</tr><?cs /each ?>
</tbody>
</table>
<?cs if:History.Next ?><p><a href="/card/history?cursor=<?cs var:History.Next ?>"><?cs var:Lang.Card.History.Older ?></a></p><?cs /if ?>
</section>
<?cs include:"footer.cs" ?>
