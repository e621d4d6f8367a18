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
	s.files[id] = &storedFile{att: a, data: append([]byte(nil), u.data...)}
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
