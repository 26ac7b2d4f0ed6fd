<?cs # mail/card_updated.cs: to a member holding a linked copy of a card that changed: review the update, or (Upd.Auto) it was applied ?><?cs escape:"none" ?>
Subject: <?cs var:Upd.Owner ?> <?cs var:Lang.Updates.Mail.Subject ?>

<?cs var:Lang.Updates.Mail.Hello ?> <?cs var:Upd.Name ?>

<?cs var:Upd.Owner ?> <?cs var:Lang.Updates.Mail.Changed ?><?cs if:Page.Lang != "zh-CN" ?> <?cs /if ?><?cs each:f = Upd.Fields ?><?cs if:name(f) != "0" ?><?cs if:Page.Lang == "zh-CN" ?>、<?cs else ?>, <?cs /if ?><?cs /if ?><?cs alt:Lang.Card.Fields[f] ?><?cs var:f ?><?cs /alt ?><?cs /each ?>

<?cs if:Upd.Auto == "1" ?><?cs var:Lang.Updates.Mail.Applied ?>
<?cs var:Upd.FolderURL ?><?cs if:subcount(Upd.Kept) ?>

<?cs var:Lang.Updates.Mail.Kept ?><?cs if:Page.Lang != "zh-CN" ?> <?cs /if ?><?cs each:f = Upd.Kept ?><?cs if:name(f) != "0" ?><?cs if:Page.Lang == "zh-CN" ?>、<?cs else ?>, <?cs /if ?><?cs /if ?><?cs alt:Lang.Card.Fields[f] ?><?cs var:f ?><?cs /alt ?><?cs /each ?><?cs /if ?><?cs else ?><?cs var:Lang.Updates.Mail.Review ?>
<?cs var:Upd.Link ?><?cs /if ?>

<?cs var:Lang.Updates.Mail.Why ?> <?cs var:Upd.SettingsURL ?>
<?cs /escape ?>
