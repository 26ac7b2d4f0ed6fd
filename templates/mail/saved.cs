<?cs # mail/saved.cs: to a member whose card someone saved (step C1), with the saver's contact details ?><?cs escape:"none" ?>
Subject: <?cs var:Saver.FullName ?> <?cs var:Lang.Savers.Mail.Saved.Subject ?>

<?cs var:Saver.FullName ?> <?cs var:Lang.Savers.Mail.Saved.Body ?>
<?cs if:Saver.Title || Saver.Organization ?>
<?cs var:Saver.Title ?><?cs if:Saver.Title && Saver.Organization ?>, <?cs /if ?><?cs var:Saver.Organization ?>
<?cs /if ?>
<?cs each:m = Saver.Emails ?><?cs var:Lang.Savers.Mail.Email ?> <?cs var:m ?>
<?cs /each ?><?cs each:p = Saver.Phones ?><?cs var:Lang.Savers.Mail.Phone ?> <?cs alt:p.Display ?><?cs var:p ?><?cs /alt ?>
<?cs /each ?><?cs if:Saver.CardURL ?><?cs var:Lang.Savers.Mail.TheirCard ?> <?cs var:Saver.CardURL ?>
<?cs /if ?>
<?cs var:Lang.Savers.Mail.List ?> <?cs var:Mail.SaversURL ?>

<?cs var:Lang.Savers.Mail.Why ?> <?cs var:Mail.SettingsURL ?>
<?cs /escape ?>
