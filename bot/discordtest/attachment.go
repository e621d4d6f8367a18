package discordtest

import (
	"mime"
	"net/http"
	"net/url"
	"path"

	"github.com/bwmarrin/discordgo"
)

// storedFile is an attachment served under /attachments/.
type storedFile struct {
	att  wireAttachment
	name string // the file name it is served under (att.Filename unless forged)
	data []byte
}

// AddAttachment stores content as if a user had uploaded it to the default
// channel and returns the attachment, served at
// URL()+"/attachments/{channel_id}/{id}/{filename}" (and at
// cdn.discordapp.com through Transport). Use it in a message for
// PostMessage or as the value of an attachment option.
func (s *Server) AddAttachment(filename string, content []byte) *discordgo.MessageAttachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.storeFileLocked(s.opts.ChannelID, upload{name: filename, data: content})
	return &discordgo.MessageAttachment{ID: a.ID, URL: a.URL, ProxyURL: a.ProxyURL, Filename: a.Filename,
		ContentType: a.ContentType, Size: a.Size}
}

// ForgeAttachment stores content like AddAttachment, but the attachment
// it returns (and sends as resolved data when used as an option value)
// claims the non-zero URL, Size and Filename of claim instead of the
// truth; the content stays served at its true URL. Discord never does
// this: tests use it to check that a bot trusts only what it verifies,
// for example an attachment URL on another host or a size that lies.
func (s *Server) ForgeAttachment(filename string, content []byte, claim discordgo.MessageAttachment) *discordgo.MessageAttachment {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.storeFileLocked(s.opts.ChannelID, upload{name: filename, data: content})
	f := s.files[a.ID]
	if claim.URL != "" {
		f.att.URL, f.att.ProxyURL = claim.URL, claim.URL
	}
	if claim.Size != 0 {
		f.att.Size = claim.Size
	}
	if claim.Filename != "" {
		f.att.Filename = claim.Filename
	}
	a = f.att
	return &discordgo.MessageAttachment{ID: a.ID, URL: a.URL, ProxyURL: a.ProxyURL, Filename: a.Filename,
		ContentType: a.ContentType, Size: a.Size}
}

func (s *Server) storeFileLocked(channelID string, u upload) wireAttachment {
	ct := u.contentType
	if ct == "" || ct == "application/octet-stream" {
		ct = mime.TypeByExtension(path.Ext(u.name))
	}
	if ct == "" {
		ct = http.DetectContentType(u.data)
	}
	id := s.newID()
	link := s.URL() + "/attachments/" + channelID + "/" + id + "/" + url.PathEscape(u.name)
	a := wireAttachment{ID: id, Filename: u.name, Size: len(u.data), URL: link, ProxyURL: link, ContentType: ct}
	s.files[id] = &storedFile{att: a, name: u.name, data: append([]byte(nil), u.data...)}
	return a
}

// storeUploadsLocked keeps files uploaded with a message. s.mu must be held.
func (s *Server) storeUploadsLocked(channelID string, files []upload) []wireAttachment {
	var out []wireAttachment
	for _, f := range files {
		out = append(out, s.storeFileLocked(channelID, f))
	}
	return out
}
