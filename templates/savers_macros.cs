<?cs # savers_macros.cs: how a saver (member or subscriber) is shown on the list and in letters ?>
<?cs def:saver_contact(s) ?><?cs if:s.Title || s.Organization ?><span class="hint"> · <?cs var:s.Title ?><?cs if:s.Title && s.Organization ?>, <?cs /if ?><?cs var:s.Organization ?></span><?cs /if ?>
<?cs if:subcount(s.Emails) || subcount(s.Phones) ?><br><?cs each:m = s.Emails ?><a href="mailto:<?cs var:m ?>"><?cs var:m ?></a> <?cs /each ?><?cs each:p = s.Phones ?><a href="tel:<?cs var:p ?>"><?cs var:p ?></a> <?cs /each ?><?cs /if ?>
<?cs if:s.CardURL ?><br><a href="<?cs var:s.CardURL ?>"><?cs var:Lang.Savers.Card ?></a><?cs /if ?><?cs /def ?>
<?cs def:saver_badge(s) ?><span class="count"><?cs if:s.IsMember == "1" ?><?cs var:Lang.Savers.Member ?><?cs else ?><?cs var:Lang.Savers.NotMember ?><?cs /if ?></span><?cs /def ?>
