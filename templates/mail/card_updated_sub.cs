<?cs # mail/card_updated_sub.cs: to a non-member subscriber of a card that changed: the link to the current card and the one-click unsubscribe link ?><?cs escape:"none" ?>
Subject: <?cs var:Upd.Owner ?> <?cs var:Lang.Updates.Sub.Subject ?>

<?cs var:Lang.Updates.Mail.Hello ?> <?cs var:Sub.FullName ?>

<?cs var:Upd.Owner ?> <?cs var:Lang.Updates.Sub.Changed ?><?cs if:Page.Lang != "zh-CN" ?> <?cs /if ?><?cs each:f = Upd.Fields ?><?cs if:name(f) != "0" ?><?cs if:Page.Lang == "zh-CN" ?>、<?cs else ?>, <?cs /if ?><?cs /if ?><?cs alt:Lang.Card.Fields[f] ?><?cs var:f ?><?cs /alt ?><?cs /each ?>

<?cs var:Lang.Updates.Sub.Open ?>
<?cs var:Sub.CardURL ?>

<?cs var:Lang.Updates.Sub.Why ?>
<?cs var:Lang.Updates.Sub.Stop ?>
<?cs var:Sub.Unsubscribe ?>
<?cs /escape ?>
