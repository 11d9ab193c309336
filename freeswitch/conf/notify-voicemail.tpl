From: "Dialtone Voicemail" <${voicemail_account}@${voicemail_domain}>
Date: ${RFC2822_DATE}
To: <${voicemail_notify_email}>
Subject: Voicemail from ${voicemail_caller_id_number}
X-Priority: ${voicemail_priority}
X-Mailer: Dialtone via FreeSWITCH
Content-Type: text/plain; charset=UTF-8
Content-Transfer-Encoding: 8bit

New voicemail (${voicemail_message_len}) from ${voicemail_caller_id_number} in mailbox ${voicemail_account}.
