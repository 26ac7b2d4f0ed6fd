<?cs # folder_entry.cs: one saved card: view, pictures, the holder's copy to edit, notes, tags, delete ?>
<?cs set:Page.Title = Entry.Card.FullName ?><?cs set:Page.Nav = "folder" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?><?cs include:"folder_macros.cs" ?>
<p class="back-link"><a href="/folder"><?cs var:Lang.Folder.Entry.ToList ?></a></p>
<?cs if:Query.saved ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.Saved ?></p><?cs /if ?>
<?cs if:Query.added ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.Added ?></p><?cs /if ?>
<?cs if:Query.saved_shared ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.SavedShared ?></p><?cs /if ?>
<?cs if:Query.already ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.Already ?></p><?cs /if ?>
<?cs if:Query.skipped ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.Skipped ?></p><?cs /if ?>
<?cs if:Query.merged ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.Merged ?></p><?cs /if ?>
<?cs if:Query.kept ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.Kept ?></p><?cs /if ?>
<?cs if:Query.matched ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.Matched ?></p><?cs /if ?>
<?cs if:Query.linked ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.Linked ?></p><?cs /if ?>
<?cs if:Query.dismissed ?><p class="notice" role="status"><?cs var:Lang.Folder.Entry.Dismissed ?></p><?cs /if ?>
<?cs if:Query.auto ?><p class="notice" role="status"><?cs if:Entry.Auto == "1" ?><?cs var:Lang.Folder.Entry.AutoIsOn ?><?cs else ?><?cs var:Lang.Folder.Entry.AutoIsOff ?><?cs /if ?></p><?cs /if ?>
<div class="page-head"><h1><?cs var:Entry.Card.FullName ?></h1> <?cs call:badges(Entry) ?></div>
<section class="panel">
<p class="hint"><?cs if:Entry.Member == "1" ?><?cs var:Lang.Folder.Entry.MemberInfo ?><?cs else ?><?cs var:Lang.Folder.Entry.NotMemberInfo ?><?cs /if ?>
<?cs if:Entry.SavedMyCard == "1" ?> <?cs var:Lang.Folder.Entry.SavedMyCardInfo ?><?cs /if ?></p>
<?cs if:Entry.UpdatePending ?><p class="notice"><a href="/updates#update-<?cs var:Entry.Id ?>"><?cs var:Lang.Folder.Entry.Review ?></a></p><?cs /if ?>
<?cs if:Entry.Linked == "1" ?><p class="hint"><?cs var:Lang.Folder.Entry.LinkedInfo ?> <?cs var:Entry.Synced ?><?cs if:Entry.Latest >= 0 ?>; <?cs var:Lang.Folder.Entry.LatestInfo ?> <?cs var:Entry.Latest ?><?cs /if ?></p>
<form method="post" action="/updates/<?cs var:Entry.Id ?>/policy" class="inline" id="auto-update"><?cs call:csrf_field() ?><input type="hidden" name="from" value="entry">
<?cs if:Entry.Auto == "1" ?><p><?cs var:Lang.Folder.Entry.AutoOnInfo ?> <button type="submit" class="secondary"><?cs var:Lang.Folder.Entry.AutoTurnOff ?></button></p>
<?cs else ?><input type="hidden" name="auto_update" value="1"><p><?cs var:Lang.Folder.Entry.AutoOffInfo ?> <button type="submit" class="secondary"><?cs var:Lang.Folder.Entry.AutoTurnOn ?></button></p><?cs /if ?>
</form><?cs /if ?>
<?cs if:Entry.LinkOffer ?><div class="notice offer" id="keep-updated">
<p><?cs var:Lang.Folder.Entry.OfferInfo ?></p>
<div class="actions">
<form class="inline" method="post" action="/updates/<?cs var:Entry.Id ?>/link"><?cs call:csrf_field() ?><input type="hidden" name="from" value="entry"><button type="submit"><?cs var:Lang.Folder.Entry.OfferLink ?></button></form>
<form class="inline" method="post" action="/updates/<?cs var:Entry.Id ?>/dismiss"><?cs call:csrf_field() ?><input type="hidden" name="from" value="entry"><button type="submit" class="secondary"><?cs var:Lang.Folder.Entry.OfferDismiss ?></button></form>
<a href="/updates#offer-<?cs var:Entry.Id ?>"><?cs var:Lang.Folder.Entry.OfferDiff ?></a>
</div></div><?cs /if ?>
<div class="card-view">
<?cs if:Entry.Front ?><a class="card-image" href="/api/v1/folder/<?cs var:Entry.Id ?>/images/front?v=<?cs var:Entry.Front ?>"><img src="/api/v1/folder/<?cs var:Entry.Id ?>/images/front?thumb=1&amp;v=<?cs var:Entry.Front ?>" alt="<?cs var:Lang.Folder.Entry.FrontAlt ?>"></a><?cs /if ?>
<?cs call:card_show(Entry.Card) ?>
<?cs if:Entry.Back ?><a class="card-image" href="/api/v1/folder/<?cs var:Entry.Id ?>/images/back?v=<?cs var:Entry.Back ?>"><img src="/api/v1/folder/<?cs var:Entry.Id ?>/images/back?thumb=1&amp;v=<?cs var:Entry.Back ?>" alt="<?cs var:Lang.Folder.Entry.BackAlt ?>"></a><?cs /if ?>
</div>
<?cs if:Entry.Notes ?><h2><?cs var:Lang.Folder.Entry.Notes ?></h2><p class="card-note"><?cs var:Entry.Notes ?></p><?cs /if ?>
<p><?cs var:Lang.Folder.Entry.Tags ?>: <?cs if:subcount(Entry.Tags) ?><?cs each:t = Entry.Tags ?><a href="/folder?tag=<?cs var:url_escape(t) ?>">#<?cs var:t ?></a> <?cs /each ?><?cs else ?><span class="hint"><?cs var:Lang.Folder.Entry.NoTags ?></span><?cs /if ?></p>
<p class="hint"><?cs var:Lang.Folder.Entry.UpdatedAt ?> <?cs call:when(Entry.UpdatedAt) ?></p>
<p><a href="/api/v1/folder/<?cs var:Entry.Id ?>.vcf"><?cs var:Lang.Folder.Entry.Export ?></a> <a href="/api/v1/folder/<?cs var:Entry.Id ?>.vcf?version=3.0"><?cs var:Lang.Folder.Entry.Export3 ?></a></p>
</section>

<section class="panel" id="edit">
<h2><?cs var:Lang.Folder.Entry.Edit ?></h2>
<?cs call:card_error() ?>
<details class="more-fields entry-fold"<?cs if:Form.Error ?> open<?cs /if ?>><summary><?cs var:Lang.Folder.Entry.ShowEditor ?></summary>
<form method="post" action="/folder/<?cs var:Entry.Id ?>" class="card-editor">
<?cs call:csrf_field() ?>
<?cs call:card_editor() ?>
<button type="submit"><?cs var:Lang.Folder.Entry.Save ?></button>
</form>
</details>
</section>

<section class="panel" id="images">
<h2><?cs var:Lang.Folder.Entry.Images ?></h2>
<details class="more-fields entry-fold"<?cs if:Form.Error ?> open<?cs /if ?>><summary><?cs var:Lang.Folder.Entry.ShowImages ?></summary>
<h3><?cs var:Lang.Folder.Entry.Front ?></h3>
<?cs if:Entry.Front ?><p><img class="card-thumb" src="/api/v1/folder/<?cs var:Entry.Id ?>/images/front?thumb=1&amp;v=<?cs var:Entry.Front ?>" alt="<?cs var:Lang.Folder.Entry.FrontAlt ?>"></p>
<form method="post" action="/folder/<?cs var:Entry.Id ?>/images/front/delete"><?cs call:csrf_field() ?><button type="submit" class="link"><?cs var:Lang.Folder.Entry.Remove ?></button></form>
<?cs else ?><p class="hint"><?cs var:Lang.Folder.Entry.NoImage ?></p><?cs /if ?>
<form method="post" action="/folder/<?cs var:Entry.Id ?>/images/front" enctype="multipart/form-data">
<?cs call:csrf_field() ?>
<label for="front-image"><?cs var:Lang.Folder.Entry.ImageFile ?></label>
<input id="front-image" name="image" type="file" required accept="image/jpeg,image/png,image/webp">
<button type="submit"><?cs var:Lang.Folder.Entry.Upload ?></button>
</form>
<h3><?cs var:Lang.Folder.Entry.Back ?></h3>
<?cs if:Entry.Back ?><p><img class="card-thumb" src="/api/v1/folder/<?cs var:Entry.Id ?>/images/back?thumb=1&amp;v=<?cs var:Entry.Back ?>" alt="<?cs var:Lang.Folder.Entry.BackAlt ?>"></p>
<form method="post" action="/folder/<?cs var:Entry.Id ?>/images/back/delete"><?cs call:csrf_field() ?><button type="submit" class="link"><?cs var:Lang.Folder.Entry.Remove ?></button></form>
<?cs else ?><p class="hint"><?cs var:Lang.Folder.Entry.NoImage ?></p><?cs /if ?>
<form method="post" action="/folder/<?cs var:Entry.Id ?>/images/back" enctype="multipart/form-data">
<?cs call:csrf_field() ?>
<label for="back-image"><?cs var:Lang.Folder.Entry.ImageFile ?></label>
<input id="back-image" name="image" type="file" required accept="image/jpeg,image/png,image/webp">
<button type="submit"><?cs var:Lang.Folder.Entry.Upload ?></button>
</form>
<p class="hint"><?cs var:Lang.Folder.Entry.ImageHint ?> <?cs var:Images.MaxMiB ?> <?cs var:Lang.Folder.Entry.MiB ?></p>
</details>
</section>

<section class="panel" id="delete">
<h2><?cs var:Lang.Folder.Entry.Delete ?></h2>
<p class="hint"><?cs var:Lang.Folder.Entry.DeleteHint ?></p>
<form method="post" action="/folder/<?cs var:Entry.Id ?>/delete">
<?cs call:csrf_field() ?>
<button type="submit" class="danger"><?cs var:Lang.Folder.Entry.Delete ?></button>
</form>
</section>
<?cs include:"footer.cs" ?>
