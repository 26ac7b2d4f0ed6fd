<?cs # mail/card_updated_held.cs: to a non-member subscriber whose update messages were held back by the daily limit: one message for all the changes since the first one held, with the link to the current card and the one-click unsubscribe link ?><?cs escape:"none" ?>
Subject: <?cs var:Upd.Owner ?> <?cs var:Lang.Updates.Sub.HeldSubject ?>

<?cs var:Lang.Updates.Mail.Hello ?> <?cs var:Sub.FullName ?>

<?cs if:Page.Lang == "zh-CN" ?><?cs var:Upd.Owner ?> <?cs var:Lang.Updates.Sub.HeldA ?> <?cs var:when_local(Held.Since) ?> <?cs var:Lang.Updates.Sub.HeldB ?> <?cs var:Held.Count ?> <?cs var:Lang.Updates.Sub.HeldC ?><?cs else ?><?cs var:Upd.Owner ?> <?cs var:Lang.Updates.Sub.HeldA ?> <?cs var:Held.Count ?> <?cs var:Lang.Updates.Sub.HeldB ?> <?cs var:when_local(Held.Since) ?><?cs var:Lang.Updates.Sub.HeldC ?><?cs /if ?>

<?cs var:Lang.Updates.Sub.HeldWhy ?>

<?cs var:Lang.Updates.Sub.Open ?>
<?cs var:Sub.CardURL ?>

<?cs var:Lang.Updates.Sub.Why ?>
<?cs var:Lang.Updates.Sub.Stop ?>
<?cs var:Sub.Unsubscribe ?>
<?cs /escape ?>
