<?cs # mail/subscribed.cs: to a member when a non-member confirmed a subscription to their card ?><?cs escape:"none" ?>
Subject: <?cs var:Saver.FullName ?> <?cs var:Lang.Savers.Mail.Subscribed.Subject ?>

<?cs var:Saver.FullName ?> <?cs var:Lang.Savers.Mail.Subscribed.Body ?>
<?cs each:m = Saver.Emails ?><?cs var:Lang.Savers.Mail.Email ?> <?cs var:m ?>
<?cs /each ?><?cs each:p = Saver.Phones ?><?cs var:Lang.Savers.Mail.Phone ?> <?cs alt:p.Display ?><?cs var:p ?><?cs /alt ?>
<?cs /each ?>
<?cs var:Lang.Savers.Mail.List ?> <?cs var:Mail.SaversURL ?>

<?cs var:Lang.Savers.Mail.Why ?> <?cs var:Mail.SettingsURL ?>
<?cs /escape ?>
