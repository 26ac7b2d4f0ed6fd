<?cs # settings.cs: name, language, channels, update policy, phone numbers, app passwords and API tokens ?>
<?cs set:Page.Title = Lang.Settings.Title ?><?cs set:Page.Nav = "settings" ?><?cs include:"header.cs" ?><?cs include:"macros.cs" ?>
<section class="panel">
<h1><?cs var:Lang.Settings.Title ?></h1>
<?cs call:form_error() ?>
<?cs if:Query.saved ?><p class="notice" role="status"><?cs var:Lang.Settings.Saved ?></p><?cs /if ?>
<?cs if:Query.linked == "1" ?><p class="notice" role="status"><?cs var:Lang.Settings.Linked ?> <a href="/updates"><?cs var:Lang.Updates.Title ?></a></p><?cs /if ?>
<form method="post" action="/settings">
<?cs call:csrf_field() ?>
<label for="full_name"><?cs var:Lang.Field.FullName ?></label>
<input id="full_name" name="full_name" required maxlength="200" value="<?cs var:Settings.Name ?>">
<label for="locale"><?cs var:Lang.Field.Language ?></label>
<select id="locale" name="locale">
<option value="en" lang="en"<?cs if:Settings.Locale == "en" ?> selected<?cs /if ?>>English</option>
<option value="zh-CN" lang="zh-CN"<?cs if:Settings.Locale == "zh-CN" ?> selected<?cs /if ?>>简体中文</option>
</select>
<label for="tz"><?cs var:Lang.Settings.TimeZone ?></label>
<input id="tz" name="tz" maxlength="64" autocomplete="off" spellcheck="false" value="<?cs var:Settings.TZ ?>" placeholder="<?cs var:Page.TZ ?>" data-tz-guess aria-describedby="tz-hint"<?cs if:Form.Field == "tz" ?> aria-invalid="true"<?cs /if ?>>
<p class="hint" id="tz-hint"><?cs var:Lang.Settings.TimeZoneHint ?> <?cs var:Lang.Settings.TimeZoneNow ?> <strong><?cs var:Page.TZ ?></strong>.</p>
<fieldset><legend><?cs var:Lang.Settings.Channels ?></legend>
<label class="check"><input type="checkbox" name="notify_email" value="1"<?cs if:Settings.NotifyEmail == "1" ?> checked<?cs /if ?>> <?cs var:Lang.Settings.ByEmail ?></label>
<label class="check"><input type="checkbox" name="notify_sms" value="1"<?cs if:Settings.NotifySMS == "1" ?> checked<?cs /if ?>> <?cs var:Lang.Settings.BySMS ?></label>
<label for="webhook_url"><?cs var:Lang.Settings.Webhook ?></label>
<input id="webhook_url" name="webhook_url" type="url" maxlength="2048" value="<?cs var:Settings.Webhook ?>">
</fieldset>
<label class="check"><input type="checkbox" name="auto_update_default" value="1"<?cs if:Settings.AutoUpdate == "1" ?> checked<?cs /if ?>> <?cs var:Lang.Settings.AutoUpdate ?></label>
<label class="check"><input type="checkbox" name="auto_link_members" value="1"<?cs if:Settings.AutoLink == "1" ?> checked<?cs /if ?> aria-describedby="auto-link-hint"> <?cs var:Lang.Settings.AutoLink ?></label>
<p class="hint" id="auto-link-hint"><?cs var:Lang.Settings.AutoLinkHint ?></p>
<button type="submit"><?cs var:Lang.Settings.Save ?></button>
</form>
</section>
<section class="panel" id="phones">
<h2><?cs var:Lang.Savers.Phone.Title ?></h2>
<p class="hint"><?cs var:Lang.Savers.Phone.Intro ?></p>
<?cs if:PhoneForm.Error ?><p class="error" role="alert"><?cs alt:Lang.Errors[PhoneForm.Error] ?><?cs var:Lang.Errors.generic ?><?cs /alt ?></p><?cs /if ?>
<?cs if:Query.phone == "sent" ?><p class="notice" role="status"><?cs var:Lang.Savers.Phone.Sent ?></p><?cs /if ?>
<?cs if:Query.phone == "verified" ?><p class="notice" role="status"><?cs var:Lang.Savers.Phone.Done ?></p><?cs /if ?>
<?cs if:Query.phone == "removed" ?><p class="notice" role="status"><?cs var:Lang.Savers.Phone.Removed ?></p><?cs /if ?>
<?cs # removing a number asks first: from the link (?remove=) or a form posted without confirm ?>
<?cs set:ask = Query.remove ?><?cs if:PhoneRemove.Ask ?><?cs set:ask = PhoneRemove.Ask ?><?cs /if ?>
<ul class="plain">
<?cs each:p = Phones ?><li><?cs if:p.Display ?><?cs var:p.Display ?><?cs else ?><?cs var:p.Number ?><?cs /if ?> <span class="hint"><?cs if:p.Verified == "1" ?><?cs var:Lang.Savers.Phone.Verified ?><?cs else ?><?cs var:Lang.Savers.Phone.Pending ?><?cs /if ?></span>
<?cs if:ask == p.Number ?><div class="confirm" role="alert">
<p><strong><?cs var:Lang.Savers.Phone.RemoveAsk ?></strong> <?cs if:p.Display ?><?cs var:p.Display ?><?cs else ?><?cs var:p.Number ?><?cs /if ?></p>
<p><?cs var:Lang.Savers.Phone.RemoveStops ?></p>
</div>
<form class="inline" method="post" action="/settings/phone/remove"><?cs call:csrf_field() ?><input type="hidden" name="phone" value="<?cs var:p.Number ?>"><input type="hidden" name="confirm" value="1"><button type="submit" class="danger"><?cs var:Lang.Savers.Phone.RemoveConfirm ?></button> <a href="/settings#phones"><?cs var:Lang.Savers.Phone.RemoveCancel ?></a></form>
<?cs else ?><a href="/settings?remove=<?cs var:url_escape(p.Number) ?>#phones"><?cs var:Lang.Savers.Phone.Remove ?><span class="visually-hidden"> <?cs if:p.Display ?><?cs var:p.Display ?><?cs else ?><?cs var:p.Number ?><?cs /if ?></span></a><?cs /if ?></li><?cs /each ?>
</ul>
<form method="post" action="/settings/phone">
<?cs call:csrf_field() ?>
<label for="phone"><?cs var:Lang.Savers.Phone.Number ?></label>
<input id="phone" name="phone" type="tel" required maxlength="40" autocomplete="tel">
<button type="submit"><?cs var:Lang.Savers.Phone.Send ?></button>
</form>
<?cs set:waiting = 0 ?><?cs each:p = Phones ?><?cs if:p.Waiting == "1" ?><?cs set:waiting = 1 ?><?cs /if ?><?cs /each ?>
<?cs if:waiting || Query.phone == "sent" ?>
<form method="post" action="/settings/phone/verify">
<?cs call:csrf_field() ?>
<label for="phone-code"><?cs var:Lang.Savers.Phone.Code ?></label>
<input id="phone-code" name="code" required inputmode="numeric" autocomplete="one-time-code" maxlength="12">
<button type="submit"><?cs var:Lang.Savers.Phone.Verify ?></button>
</form>
<?cs /if ?>
</section>
<section class="panel">
<h2><?cs var:Lang.Settings.AppPasswords ?></h2>
<p><?cs var:Lang.Settings.AppPasswordsIntro ?></p>
<?cs if:AppPasswordForm.Error ?><p class="error" role="alert"><?cs alt:Lang.Errors[AppPasswordForm.Error] ?><?cs var:Lang.Errors.generic ?><?cs /alt ?></p><?cs /if ?>
<?cs if:Settings.EmailVerified != "1" ?><p class="hint" id="app-passwords-unverified"><?cs var:Lang.Settings.AppPasswordsUnverified ?></p><?cs /if ?>
<?cs if:NewAppPassword.Secret ?><p class="notice" role="status"><?cs var:Lang.Settings.NewAppPassword ?> <code><?cs var:NewAppPassword.Secret ?></code></p><?cs /if ?>
<ul class="plain">
<?cs each:ap = AppPasswords ?><li><?cs var:ap.Label ?> <span class="hint"><?cs var:Lang.Settings.TokenCreated ?> <?cs call:when(ap.Created) ?>, <?cs if:ap.Used ?><?cs var:Lang.Settings.TokenUsed ?> <?cs call:when(ap.Used) ?><?cs else ?><?cs var:Lang.Settings.TokenNeverUsed ?><?cs /if ?></span>
<form class="inline" method="post" action="/settings/app-passwords/<?cs var:ap.Id ?>/delete"><?cs call:csrf_field() ?><button type="submit" class="link"><?cs var:Lang.Settings.Revoke ?></button></form></li><?cs /each ?>
</ul>
<form method="post" action="/settings/app-passwords">
<?cs call:csrf_field() ?>
<label for="label"><?cs var:Lang.Settings.DeviceName ?></label>
<input id="label" name="label" required maxlength="100">
<button type="submit"><?cs var:Lang.Settings.Create ?></button>
</form>
</section>
<section class="panel" id="tokens">
<h2><?cs var:Lang.Settings.Tokens ?></h2>
<p><?cs var:Lang.Settings.TokensIntro ?></p>
<?cs if:subcount(Tokens) == 0 ?><p class="hint"><?cs var:Lang.Settings.NoTokens ?></p><?cs /if ?>
<ul class="plain">
<?cs each:t = Tokens ?><li><?cs var:t.Label ?> <span class="hint"><?cs var:Lang.Settings.TokenCreated ?> <?cs call:when(t.Created) ?>, <?cs if:t.Used ?><?cs var:Lang.Settings.TokenUsed ?> <?cs call:when(t.Used) ?><?cs else ?><?cs var:Lang.Settings.TokenNeverUsed ?><?cs /if ?>, <?cs var:Lang.Settings.TokenExpires ?> <?cs call:when(t.Expires) ?></span>
<form class="inline" method="post" action="/settings/tokens/<?cs var:t.Id ?>/delete"><?cs call:csrf_field() ?><button type="submit" class="link"><?cs var:Lang.Settings.Revoke ?></button></form></li><?cs /each ?>
</ul>
</section>
<?cs include:"footer.cs" ?>
