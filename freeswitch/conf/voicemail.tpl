From: "Dialtone Voicemail" <${voicemail_account}@${voicemail_domain}>
Date: ${RFC2822_DATE}
To: <${voicemail_email}>
Subject: New voicemail from ${voicemail_caller_id_number} (${voicemail_message_len})
X-Priority: ${voicemail_priority}
X-Mailer: Dialtone via FreeSWITCH
Content-Type: multipart/alternative;
	boundary="000XXX000"

--000XXX000
Content-Type: text/plain; charset=UTF-8; Format=Flowed
Content-Disposition: inline
Content-Transfer-Encoding: 8bit

You have a new voicemail in mailbox ${voicemail_account}.

From: ${voicemail_caller_id_name} ${voicemail_caller_id_number}
Received: ${voicemail_time}
Length: ${voicemail_message_len}

The recording is attached as a WAV file.

--000XXX000--
