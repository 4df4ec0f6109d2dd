package sqlstore

// SetCampaignMailBatchSize makes SendCampaignMail read n assessments per
// transaction, for tests that cross batches; it returns the undo.
func SetCampaignMailBatchSize(n int) (undo func()) {
	old := campaignMailBatchSize
	campaignMailBatchSize = n
	return func() { campaignMailBatchSize = old }
}
