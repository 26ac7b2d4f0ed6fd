<?cs # folder_scan_review.cs: the fields read from a photographed card beside its photo, to correct and save as a folder entry ?>
<?cs set:Page.Title = Lang.Scan.Review ?><?cs set:Page.Nav = "folder" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?><?cs include:"card_macros.cs" ?><?cs include:"folder_macros.cs" ?>
<p class="back-link"><a href="/folder"><?cs var:Lang.Folder.Entry.ToList ?></a></p>
<section class="panel">
<h1><?cs var:Lang.Scan.Review ?></h1>
<?cs if:Scan.Status == "failed" ?><p class="error" role="alert"><?cs var:Lang.Scan.Failed ?></p>
<?cs else ?><p class="hint"><?cs var:Lang.Scan.ReviewHint ?><?cs if:Scan.Seconds ?> <?cs var:Lang.Scan.ReadIn ?> <?cs var:Scan.Seconds ?> s.<?cs /if ?></p><?cs /if ?>
<?cs if:subcount(Scan.Check) ?><div class="notice scan-check" role="status"><p><?cs var:Lang.Scan.CheckThese ?></p>
<ul class="inline-list"><?cs each:f = Scan.Check ?><li><a href="#<?cs if:f == "full_name" || f == "title" || f == "organization" || f == "department" ?><?cs var:f ?><?cs else ?><?cs var:f ?>-0-<?cs if:f == "addresses" ?>street<?cs else ?>value<?cs /if ?><?cs /if ?>" class="scan-check-field" data-field="<?cs var:f ?>"><?cs var:Lang.Card.Fields[f] ?></a></li><?cs /each ?></ul></div><?cs /if ?>
<?cs call:card_error() ?>
<div class="scan-review">
<figure class="scan-images">
<img class="scan-photo" src="/api/v1/folder/scan/<?cs var:Scan.Id ?>/images/front?v=<?cs var:Scan.Front ?>" alt="<?cs var:Lang.Folder.Entry.Front ?>">
<?cs if:Scan.Back ?><img class="scan-photo" src="/api/v1/folder/scan/<?cs var:Scan.Id ?>/images/back?v=<?cs var:Scan.Back ?>" alt="<?cs var:Lang.Folder.Entry.Back ?>"><?cs /if ?>
</figure>
<form method="post" action="/folder/scan/<?cs var:Scan.Id ?>" class="card-editor scan-form">
<?cs call:csrf_field() ?>
<?cs call:card_editor() ?>
<?cs call:dup_choice() ?>
<button type="submit"><?cs var:Lang.Scan.Save ?></button>
</form>
</div>
</section>
<?cs include:"footer.cs" ?>
