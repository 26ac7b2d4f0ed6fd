<?cs # mail/subscribe_confirm.cs: double opt-in of a non-member's e-mail subscription, with the unsubscribe link every such mail carries ?><?cs escape:"none" ?>
Subject: <?cs var:Lang.Savers.Mail.Confirm.Subject ?>

<?cs var:Lang.Savers.Mail.Confirm.Hello ?> <?cs var:Sub.FullName ?><?cs if:Page.Lang == "zh-CN" ?>：<?cs else ?>,<?cs /if ?>

<?cs var:Lang.Savers.Mail.Confirm.Body ?><?cs if:Page.Lang != "zh-CN" ?> <?cs /if ?><?cs var:Sub.Owner ?>
<?cs var:Sub.CardURL ?>

<?cs var:Lang.Savers.Mail.Confirm.Open ?>
<?cs var:Sub.Link ?>

<?cs var:Lang.Savers.Mail.Confirm.Expiry ?> <?cs var:Sub.Hours ?> <?cs var:Lang.Savers.Mail.Confirm.Hours ?>

<?cs var:Lang.Savers.Mail.Confirm.Ignore ?>
<?cs var:Sub.Unsubscribe ?>
<?cs /escape ?>
